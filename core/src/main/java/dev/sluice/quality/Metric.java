package dev.sluice.quality;

import dev.sluice.engine.Dialect;
import dev.sluice.engine.Sql;
import java.util.Locale;

/**
 * A number computed over a whole table in the gate's single scan.
 *
 * @param name {@code row_count}, {@code mean}, {@code stddev}, {@code min}, {@code max}, {@code quantile_0.95},
 *     {@code distinct_ratio}, {@code null_fraction} or {@code age_seconds}
 * @param column the column it is computed on; null for {@code row_count}
 * @param expression the aggregate SQL over the checked rows
 */
record Metric(String name, String column, String expression) {

    /** Names a user may give under {@code metric:}. */
    static final String NAMES = "row_count, mean, stddev, min, max, quantile, distinct_ratio, null_fraction";

    static Metric rowCount() {
        return new Metric("row_count", null, "count(*)");
    }

    /**
     * A metric by the name a rule gives, in the {@code dialect}'s SQL; {@code quantile} takes {@code q}. Null when the
     * name is unknown.
     */
    static Metric of(String name, String column, Double q, Dialect dialect) {
        String c = column == null ? null : Sql.identifier(column);
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "row_count" -> rowCount();
            case "mean" -> new Metric("mean", column, "avg(" + c + ")");
            case "stddev" -> new Metric("stddev", column, "stddev_samp(" + c + ")");
            case "min" -> new Metric("min", column, "min(" + c + ")");
            case "max" -> new Metric("max", column, "max(" + c + ")");
            case "quantile" -> new Metric("quantile_" + q, column, dialect.quantile(c, q));
            case "distinct_ratio" -> new Metric("distinct_ratio", column,
                    "CAST(count(DISTINCT " + c + ") AS DOUBLE) / nullif(count(*), 0)");
            case "null_fraction" -> new Metric("null_fraction", column,
                    "CAST(count(*) FILTER (WHERE " + c + " IS NULL) AS DOUBLE) / nullif(count(*), 0)");
            default -> null;
        };
    }

    /** Seconds between the newest value of a timestamp or date column and the run time. */
    static Metric age(String column, Dialect dialect) {
        return new Metric("age_seconds", column, dialect.secondsSince("max(" + Sql.identifier(column) + ")"));
    }
}
