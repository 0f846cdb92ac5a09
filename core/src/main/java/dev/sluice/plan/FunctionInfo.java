package dev.sluice.plan;

import static java.util.Objects.requireNonNull;

/**
 * One overload of a DuckDB function, as {@code duckdb_functions()} reports it.
 *
 * @param kind {@code scalar}, {@code aggregate}, {@code table} or {@code macro}/{@code table_macro}
 * @param returnType DuckDB type text, or null where DuckDB reports none
 */
public record FunctionInfo(String name, String kind, String returnType) {
    public FunctionInfo {
        requireNonNull(name, "name");
        requireNonNull(kind, "kind");
    }
}
