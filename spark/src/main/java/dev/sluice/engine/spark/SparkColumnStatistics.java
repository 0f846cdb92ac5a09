package dev.sluice.engine.spark;

import java.util.ArrayList;
import java.util.List;

/**
 * The statistics Spark keeps with a table, for the storage optimiser's {@code STORED} reading (see
 * {@link dev.sluice.engine.Dialect#storedStatisticsQuery}): Iceberg's metrics of each data file (value and null
 * counts, lower and upper bounds), which Spark's scans prune files by, summed over the table's live files from its
 * {@code data_files} metadata table, without reading a row. A column without metrics (Iceberg keeps none for lists, and
 * may truncate text bounds) gives nulls, and the optimiser reads its sample there. Stateless.
 */
final class SparkColumnStatistics {
    private SparkColumnStatistics() {
    }

    /**
     * One row of four texts per column: least and greatest value, whether a null is held and whether a non-null is,
     * as DuckDB's {@code stats()} gives them.
     */
    static String query(String table, List<String> columns) {
        List<String> values = new ArrayList<>();
        for (String column : columns) {
            String metrics = "readable_metrics." + column;
            values.add("CAST(min(" + metrics + ".lower_bound) AS STRING)");
            values.add("CAST(max(" + metrics + ".upper_bound) AS STRING)");
            values.add("CAST(sum(" + metrics + ".null_value_count) > 0 AS STRING)");
            values.add("CAST(sum(" + metrics + ".value_count - " + metrics + ".null_value_count) > 0 AS STRING)");
        }
        return "SELECT " + String.join(", ", values) + " FROM " + table + ".data_files";
    }
}
