package dev.sluice.quality;

/** A metric measured on a relation in one run; {@code column} is null for table-wide metrics. */
public record MetricValue(String column, String metric, Double value) {
}
