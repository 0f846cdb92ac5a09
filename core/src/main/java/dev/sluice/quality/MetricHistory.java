package dev.sluice.quality;

import java.util.List;

/** Earlier values of a model's metrics, newest first; supplied by the catalog. */
@FunctionalInterface
public interface MetricHistory {
    /** No history at all. */
    MetricHistory NONE = (column, metric, count) -> List.of();

    /** Up to {@code count} earlier values of the metric on the column (null column: table-wide), newest first. */
    List<Double> last(String column, String metric, int count);
}
