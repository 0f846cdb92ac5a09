package dev.sluice.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.catalog.LateRowsRecord;
import dev.sluice.engine.Session;
import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.project.TimeSpan;
import dev.sluice.window.IndexRange;
import dev.sluice.window.IntervalGrid;
import dev.sluice.window.RangeSet;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Late-row records turned into conditions on a source's rows, checked against rows in DuckDB. */
class WindowLateRowsTest {
    private static final IntervalGrid HOURS = new IntervalGrid(LocalDateTime.parse("2024-01-01T00:00"),
            new TimeSpan(1, TimeSpan.Unit.HOUR));

    private static LateRowsRecord record(String source, int hour, long arrival, String disposition, Integer movedTo) {
        return new LateRowsRecord(arrival, "main.m", source, HOURS.startOf(hour), HOURS.endOf(hour), arrival,
                disposition, 1, 7200, movedTo == null ? null : HOURS.startOf(movedTo));
    }

    /** The ids of the rows (id, run, hour) for which the condition holds. */
    private static List<Object> matching(String condition) {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            return session.query("SELECT id FROM (VALUES (1, 2, TIMESTAMP '2024-01-01 01:30'), "
                    + "(2, 2, TIMESTAMP '2024-01-01 02:10'), (3, 3, TIMESTAMP '2024-01-01 01:10'), "
                    + "(4, 2, TIMESTAMP '2024-01-01 05:00'), (5, 2, TIMESTAMP '2024-01-01 03:00')) "
                    + "AS d(id, _sluice_run, ts) WHERE " + condition + " ORDER BY id").values().stream()
                    .map(row -> row.get(0)).toList();
        }
    }

    @Test
    void setsAsideTheRowsOfEachRecordsLoadAndIntervalMergingAdjacentOnes() {
        List<LateRowsRecord> records = List.of(record("raw.a", 1, 2, "quarantined", null),
                record("raw.a", 2, 2, "dropped", null), record("raw.a", 5, 2, "reassigned", 9),
                // rebuilt rows are read; another source's records are not this one's
                record("raw.a", 3, 2, "rebuilt", null), record("raw.b", 1, 3, "dropped", null));
        String condition = WindowLateRows.setAside(records, "raw.a", "d.ts", HOURS.startOf(0), HOURS.startOf(24));
        assertThat(condition).isEqualTo("(d._sluice_run = 2 AND ((d.ts >= TIMESTAMP '2024-01-01 01:00' AND d.ts < "
                + "TIMESTAMP '2024-01-01 03:00') OR (d.ts >= TIMESTAMP '2024-01-01 05:00' AND d.ts < "
                + "TIMESTAMP '2024-01-01 06:00')))");
        assertThat(matching(condition)).containsExactly(1, 2, 4);
        // only the records about the intervals read are written
        assertThat(WindowLateRows.setAside(records, "raw.a", "d.ts", HOURS.startOf(3), HOURS.startOf(5))).isNull();
        assertThat(WindowLateRows.setAside(records, "raw.c", "d.ts", HOURS.startOf(0), HOURS.startOf(24))).isNull();
    }

    @Test
    void movesReassignedRowsToTheirIntervalWhenItIsRead() {
        List<LateRowsRecord> records = List.of(record("raw.a", 5, 2, "reassigned", 9),
                record("raw.a", 1, 3, "reassigned", 9), record("raw.a", 2, 2, "dropped", null));
        List<WindowLateRows.Move> moves = WindowLateRows.moves(records, "raw.a", "d.ts", HOURS,
                RangeSet.of(new IndexRange(8, 10)));
        assertThat(moves).extracting(WindowLateRows.Move::to).containsExactly(HOURS.startOf(9), HOURS.startOf(9));
        assertThat(matching(moves.get(0).condition())).containsExactly(4);
        assertThat(matching(moves.get(1).condition())).containsExactly(3);
        assertThat(WindowLateRows.moves(records, "raw.a", "d.ts", HOURS, RangeSet.of(new IndexRange(0, 9))))
                .isEmpty();
    }
}
