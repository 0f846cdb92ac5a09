package dev.sluice.catalog;

/** A row of {@code sluice.quality_metrics}; {@code column} is null for table-wide metrics. */
public record MetricRecord(long runId, String model, String column, String metric, Double value) {
}
