package dev.sluice.storage;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Statistics of a table or query result: its rows and the statistics of each column, in column order.
 *
 * @param relation what was measured, as {@code schema.name}
 */
public record TableStats(String relation, long rows, List<ColumnStats> columns) {
    public TableStats {
        requireNonNull(relation, "relation");
        columns = List.copyOf(columns);
    }

    /** Bytes of one row in memory: the sum of the columns' average widths. */
    public double rowWidth() {
        return columns.stream().mapToDouble(ColumnStats::averageWidth).sum();
    }

    /** Uncompressed bytes: rows times row width. */
    public long bytes() {
        return (long) (rows * rowWidth());
    }

    /** The column of that name (case-insensitive). */
    public Optional<ColumnStats> column(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return columns.stream().filter(c -> c.name().toLowerCase(Locale.ROOT).equals(lower)).findFirst();
    }
}
