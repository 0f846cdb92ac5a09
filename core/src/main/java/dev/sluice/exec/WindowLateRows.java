package dev.sluice.exec;

import dev.sluice.catalog.LateRowsRecord;
import dev.sluice.connect.Tracked;
import dev.sluice.window.IntervalGrid;
import dev.sluice.window.Lateness;
import dev.sluice.window.RangeSet;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rows of a timed source that a windowed model's late-row records set aside (quarantined, dropped, or moved to a
 * later interval), as conditions on the source's data rows ({@code d}). The records come from the catalog, wherever it
 * is kept, and are written into the build's SQL as literals: the build reads no catalog table in the warehouse, which
 * a catalog in PostgreSQL or beside a Spark warehouse does not have. They are few (one per source, interval and load
 * that brought late rows), and only those about the intervals a build reads are written.
 */
final class WindowLateRows {
    private static final Set<String> SET_ASIDE = Set.of(Lateness.Disposition.QUARANTINED.word(),
            Lateness.Disposition.DROPPED.word(), Lateness.Disposition.REASSIGNED.word());

    private WindowLateRows() {
    }

    /** Rows of one load moved to the interval starting at {@code to}: those for which {@code condition} holds. */
    record Move(String condition, LocalDateTime to) {
    }

    /**
     * SQL true for the rows of {@code source} (with event time {@code utc}) that a record sets aside, among those with
     * an event time in {@code [from, to)}; null when no record does.
     */
    static String setAside(List<LateRowsRecord> records, String source, String utc, LocalDateTime from,
            LocalDateTime to) {
        Map<Long, List<LateRowsRecord>> byLoad = new TreeMap<>();
        for (LateRowsRecord record : records) {
            if (record.source().equals(source) && SET_ASIDE.contains(record.disposition())
                    && record.intervalStart().isBefore(to) && record.intervalEnd().isAfter(from)) {
                byLoad.computeIfAbsent(record.arrivalRun(), run -> new ArrayList<>()).add(record);
            }
        }
        if (byLoad.isEmpty()) {
            return null;
        }
        List<String> loads = new ArrayList<>();
        byLoad.forEach((run, own) -> loads.add(loadedIn(run, utc, own)));
        return String.join(" OR ", loads);
    }

    /**
     * The rows of {@code source} that records moved to an interval of {@code read} (late_policy current), by load and
     * target interval, in that order.
     */
    static List<Move> moves(List<LateRowsRecord> records, String source, String utc, IntervalGrid grid,
            RangeSet read) {
        Map<Long, Map<LocalDateTime, List<LateRowsRecord>>> byLoad = new TreeMap<>();
        for (LateRowsRecord record : records) {
            if (record.source().equals(source) && record.disposition().equals(Lateness.Disposition.REASSIGNED.word())
                    && record.assignedTo() != null && read.contains(grid.index(record.assignedTo()))) {
                byLoad.computeIfAbsent(record.arrivalRun(), run -> new TreeMap<>())
                        .computeIfAbsent(record.assignedTo(), to -> new ArrayList<>()).add(record);
            }
        }
        List<Move> moves = new ArrayList<>();
        byLoad.forEach((run, targets) -> targets.forEach((to, own) -> moves.add(new Move(loadedIn(run, utc, own), to))));
        return moves;
    }

    /** The rows of load {@code run} in the records' intervals, adjacent intervals merged into one range. */
    private static String loadedIn(long run, String utc, List<LateRowsRecord> records) {
        List<LocalDateTime[]> ranges = new ArrayList<>();
        records.stream().sorted(Comparator.comparing(LateRowsRecord::intervalStart)).forEach(record -> {
            LocalDateTime[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (last != null && !record.intervalStart().isAfter(last[1])) {
                last[1] = record.intervalEnd().isAfter(last[1]) ? record.intervalEnd() : last[1];
            } else {
                ranges.add(new LocalDateTime[] {record.intervalStart(), record.intervalEnd()});
            }
        });
        List<String> within = new ArrayList<>();
        for (LocalDateTime[] range : ranges) {
            within.add("(" + WindowSql.between(utc, range[0], range[1]) + ")");
        }
        return "(d." + Tracked.RUN + " = " + run + " AND (" + String.join(" OR ", within) + "))";
    }
}
