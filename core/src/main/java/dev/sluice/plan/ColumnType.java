package dev.sluice.plan;

import static java.util.Objects.requireNonNull;

/** A column as DuckDB reports it: name and DuckDB type text ({@code BIGINT}, {@code DECIMAL(18,2)}, {@code VARCHAR[]}). */
public record ColumnType(String name, String type) {
    public ColumnType {
        requireNonNull(name, "name");
        requireNonNull(type, "type");
    }
}
