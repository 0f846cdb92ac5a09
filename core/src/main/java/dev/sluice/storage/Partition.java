package dev.sluice.storage;

import static java.util.Objects.requireNonNull;

import dev.sluice.engine.Sql;
import java.util.Locale;

/**
 * A partition column of a lake output: a column's own values, or a time column truncated to a grain, written as an
 * extra hive column ({@code order_date_month=2024-03}).
 *
 * @param grain the time grain, or null to partition by the column's values
 */
public record Partition(String column, Grain grain) {
    public Partition {
        requireNonNull(column, "column");
    }

    /** Time grains, coarsest last. */
    public enum Grain { DAY, MONTH, YEAR }

    /** The hive column name: the column itself, or {@code <column>_<grain>}. */
    public String name() {
        return grain == null ? column : column + "_" + grain.name().toLowerCase(Locale.ROOT);
    }

    /** The SQL expression computing the partition value from a row. */
    public String expression() {
        if (grain == null) {
            return Sql.identifier(column);
        }
        String format = switch (grain) {
            case DAY -> "%Y-%m-%d";
            case MONTH -> "%Y-%m";
            case YEAR -> "%Y";
        };
        return "strftime(" + Sql.identifier(column) + ", " + Sql.string(format) + ")";
    }

    @Override
    public String toString() {
        return grain == null ? column : column + " by " + grain.name().toLowerCase(Locale.ROOT);
    }
}
