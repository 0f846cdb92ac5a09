package dev.sluice;

import java.util.List;

/**
 * What {@code sluice quality} shows of a model (or all of them): its rules' results and its metrics over the last runs,
 * read together. Immutable.
 *
 * @param results as {@link Sluice#qualityResults}
 * @param metrics as {@link Sluice#qualityMetrics}
 */
public record QualityHistory(List<QualityCheck> results, List<QualityMetric> metrics) {
    public QualityHistory {
        results = List.copyOf(results);
        metrics = List.copyOf(metrics);
    }
}
