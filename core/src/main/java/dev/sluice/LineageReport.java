package dev.sluice;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code sluice lineage} shows: the column lineage planned now, with the quality results of each model and
 * source in the last run that checked it, read together ({@link Sluice#lineageWithQuality()}). Immutable.
 *
 * @param lineage as {@link Sluice#lineage()}
 * @param latestQuality as {@link Sluice#latestQuality} of every model and source checked so far: keyed by a model's
 *     name or a source's qualified name, those nothing checked yet left out
 */
public record LineageReport(Lineage lineage, Map<String, List<QualityCheck>> latestQuality) {
    public LineageReport {
        requireNonNull(lineage, "lineage");
        Map<String, List<QualityCheck>> copy = new LinkedHashMap<>();
        latestQuality.forEach((name, checks) -> copy.put(name, List.copyOf(checks)));
        latestQuality = java.util.Collections.unmodifiableMap(copy);
    }
}
