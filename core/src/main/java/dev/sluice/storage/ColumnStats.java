package dev.sluice.storage;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * Statistics of one column, as the layout rules read them.
 *
 * @param type the DuckDB type text ({@code VARCHAR}, {@code DECIMAL(18,2)}, ...)
 * @param distinct approximate number of distinct non-null values
 * @param nullFraction fraction of rows that are NULL
 * @param min the smallest value as text, or null (all NULL, or a nested type)
 * @param max the largest value as text, or null
 * @param averageWidth bytes per value in memory (fixed by type, or the average length of text)
 * @param sortedness fraction of adjacent non-null values (in row order) that do not decrease: 1 is sorted ascending
 * @param topShare fraction of all rows holding the most frequent value: near 1 is a heavily skewed column
 * @param spanDays for time columns the days between min and max, else 0
 * @param distinctDays for time columns the number of days holding rows, else 0
 */
public record ColumnStats(String name, String type, long distinct, double nullFraction, String min, String max,
        double averageWidth, double sortedness, double topShare, double spanDays, long distinctDays) {
    public ColumnStats {
        requireNonNull(name, "name");
        requireNonNull(type, "type");
    }

    /** True for DATE and TIMESTAMP columns (with or without time zone or precision). */
    public boolean temporal() {
        String upper = type.toUpperCase(Locale.ROOT);
        return upper.equals("DATE") || upper.startsWith("TIMESTAMP");
    }

    /** True for text columns. */
    public boolean text() {
        return type.toUpperCase(Locale.ROOT).equals("VARCHAR");
    }

    /** True for binary floating point columns, whose values rarely repeat and compress little. */
    public boolean floating() {
        String upper = type.toUpperCase(Locale.ROOT);
        return upper.equals("DOUBLE") || upper.equals("FLOAT") || upper.equals("REAL");
    }

    /** Distinct values per non-null row (0 for an empty column): near 1 is a key, near 0 a category. */
    public double distinctRatio(long rows) {
        double present = rows * (1 - nullFraction);
        return present <= 0 ? 0 : Math.min(1, distinct / present);
    }
}
