package dev.sluice.project;

import static java.util.Objects.requireNonNull;

/**
 * Project-wide defaults from {@code sluice.yml}'s {@code defaults:} block.
 *
 * @param materialized materialization of models that do not declare one
 * @param schema schema of models that do not declare one
 * @param threads worker threads for a run (0 = number of cores)
 * @param memoryLimit DuckDB memory limit such as {@code 4GB}, or null for DuckDB's default
 */
public record Defaults(Materialization materialized, String schema, int threads, String memoryLimit) {
    public Defaults {
        requireNonNull(materialized, "materialized");
        requireNonNull(schema, "schema");
    }

    public static Defaults standard() {
        return new Defaults(Materialization.VIEW, "main", 0, null);
    }
}
