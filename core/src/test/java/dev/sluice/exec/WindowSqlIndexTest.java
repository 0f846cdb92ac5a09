package dev.sluice.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.project.TimeSpan;
import dev.sluice.window.IntervalGrid;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowSqlIndexTest {
    private static final LocalDateTime JAN_1 = LocalDateTime.parse("2024-01-01T00:00");

    private static LocalDateTime t(String text) {
        return LocalDateTime.parse(text);
    }

    /** The SQL index expression agrees with the Java arithmetic, on both sides of the start. */
    @Test
    void indexSqlAgreesWithIndex() {
        List<IntervalGrid> grids = List.of(new IntervalGrid(JAN_1, new TimeSpan(1, TimeSpan.Unit.HOUR)),
                new IntervalGrid(t("2024-01-01T00:05"), new TimeSpan(15, TimeSpan.Unit.MINUTE)),
                new IntervalGrid(JAN_1, new TimeSpan(1, TimeSpan.Unit.WEEK)),
                new IntervalGrid(JAN_1, new TimeSpan(1, TimeSpan.Unit.MONTH)),
                new IntervalGrid(JAN_1, new TimeSpan(2, TimeSpan.Unit.YEAR)));
        List<LocalDateTime> times = List.of(t("2024-01-01T00:00"), t("2024-01-01T00:59:59.999"), t("2023-12-31T23:59"),
                t("2024-02-29T12:34:56"), t("2022-07-04T00:00"), t("2031-05-01T00:00"));
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            for (IntervalGrid grid : grids) {
                for (LocalDateTime time : times) {
                    long sql = session.query("SELECT " + WindowSql.indexSql(grid, Sql.literal(time), session.dialect()))
                            .singleLong();
                    assertThat(sql).as(grid + " " + time).isEqualTo(grid.index(time));
                }
            }
        }
    }
}
