package dev.sluice.catalog;

import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the catalog knows before a windowed model's build, read in one query ({@link WindowStore#buildRecords}): the
 * interval ranges of the model and of its upstream windowed models, its checkpoints, its last successful build, the
 * sources whose rows were changed or retracted since its checkpoint, the late rows it sets aside, and the measured
 * arrivals of its tracked sources' loads.
 *
 * @param intervals interval ranges by model, in time order (an empty list for a model without any)
 * @param checkpoints the last run the model read of each of the tracked sources asked for
 * @param lastSqlHash the SQL hash of the model's last successful build, or null when it has none
 * @param lastMaterialized the materialization of that build, or null
 * @param changed the sources with rows modified since the model's checkpoint of them
 * @param retracted the sources with rows retracted since the model's checkpoint of them
 * @param frontiers per source, per event-time column: the greatest event time whose arrival was measured, among the
 *     loads up to the model's checkpoint of the source (all of them have a later arrival in {@code arrivals})
 * @param arrivals the measured arrivals of the loads after the model's checkpoint of each source (every measured
 *     load of a source it has no checkpoint of)
 * @param setAside the model's late rows that its builds leave out of the intervals they came for (quarantined,
 *     dropped, or reassigned to a later interval), by run, source and interval
 */
public record WindowBuildRecords(Map<String, List<IntervalRecord>> intervals, Map<String, Long> checkpoints,
        String lastSqlHash, String lastMaterialized, Set<String> changed, Set<String> retracted,
        Map<String, Map<String, LocalDateTime>> frontiers, List<Arrival> arrivals, List<LateRowsRecord> setAside) {
    public WindowBuildRecords {
        intervals = Map.copyOf(intervals);
        checkpoints = Map.copyOf(checkpoints);
        changed = Set.copyOf(changed);
        retracted = Set.copyOf(retracted);
        frontiers = Map.copyOf(frontiers);
        arrivals = List.copyOf(arrivals);
        setAside = List.copyOf(setAside);
    }

    /**
     * The arrival of one load of a source measured on a column and clock (a row of {@code arrival_lateness}).
     *
     * @param maxEventTime the greatest event time among the load's rows, or null when none had one
     */
    public record Arrival(String source, String column, String clock, long runId, LocalDateTime maxEventTime) {
    }

    /** The interval ranges of {@code model}, in time order. */
    public List<IntervalRecord> intervalsOf(String model) {
        return intervals.getOrDefault(model, List.of());
    }

    /** The greatest measured event time of a source's column, or null when no arrival of it was measured. */
    public LocalDateTime frontier(String source, String column) {
        return frontier(source, column, Long.MAX_VALUE);
    }

    /**
     * The greatest event time of a source's column among the measured loads before run {@code beforeRun}, a run
     * after the model's checkpoint of the source; null when none was measured.
     */
    public LocalDateTime frontier(String source, String column, long beforeRun) {
        LocalDateTime frontier = frontiers.getOrDefault(source, Map.of()).get(column);
        for (Arrival arrival : arrivals) {
            if (arrival.source().equals(source) && arrival.column().equals(column) && arrival.runId() < beforeRun
                    && arrival.maxEventTime() != null
                    && (frontier == null || arrival.maxEventTime().isAfter(frontier))) {
                frontier = arrival.maxEventTime();
            }
        }
        return frontier;
    }

    /** The loads after the model's checkpoint of a source whose arrival is measured on a column and clock. */
    public Set<Long> measured(String source, String column, String clock) {
        Set<Long> runs = new HashSet<>();
        for (Arrival arrival : arrivals) {
            if (arrival.source().equals(source) && arrival.column().equals(column) && arrival.clock().equals(clock)) {
                runs.add(arrival.runId());
            }
        }
        return runs;
    }
}
