package dev.sluice;

import static java.util.Objects.requireNonNull;

/**
 * One quality metric measured on a model or source in a past run. Immutable.
 *
 * @param column null for a table-wide metric (row count)
 * @param value null when the metric could not be measured (no rows)
 */
public record QualityMetric(long runId, String model, String column, String metric, Double value) {
    public QualityMetric {
        requireNonNull(model, "model");
        requireNonNull(metric, "metric");
    }
}
