package dev.sluice.catalog;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the catalog knows before a windowed model's build, read in one query ({@link WindowStore#buildRecords}): the
 * interval ranges of the model and of its upstream windowed models, its checkpoints, its last successful build, the
 * sources whose rows were changed or retracted since its checkpoint and the event frontier of each source's columns.
 *
 * @param intervals interval ranges by model, in time order (an empty list for a model without any)
 * @param checkpoints the last run of each source the model read
 * @param lastSqlHash the SQL hash of the model's last successful build, or null when it has none
 * @param lastMaterialized the materialization of that build, or null
 * @param changed the sources with rows modified since the model's checkpoint of them
 * @param retracted the sources with rows retracted since the model's checkpoint of them
 * @param frontiers per source, per event-time column: the greatest event time whose arrival was measured
 */
public record WindowBuildRecords(Map<String, List<IntervalRecord>> intervals, Map<String, Long> checkpoints,
        String lastSqlHash, String lastMaterialized, Set<String> changed, Set<String> retracted,
        Map<String, Map<String, LocalDateTime>> frontiers) {
    public WindowBuildRecords {
        intervals = Map.copyOf(intervals);
        checkpoints = Map.copyOf(checkpoints);
        changed = Set.copyOf(changed);
        retracted = Set.copyOf(retracted);
        frontiers = Map.copyOf(frontiers);
    }

    /** The interval ranges of {@code model}, in time order. */
    public List<IntervalRecord> intervalsOf(String model) {
        return intervals.getOrDefault(model, List.of());
    }

    /** The greatest measured event time of a source's column, or null when no arrival of it was measured. */
    public LocalDateTime frontier(String source, String column) {
        return frontiers.getOrDefault(source, Map.of()).get(column);
    }
}
