package dev.sluice.project;

import static java.util.Objects.requireNonNull;

/**
 * Project-wide defaults from {@code sluice.yml}'s {@code defaults:} block.
 *
 * @param materialized materialization of models that do not declare one
 * @param schema schema of models that do not declare one
 * @param threads models a run builds at once (0 = the engine's choice: one on DuckDB, one per core on Spark)
 * @param memoryLimit DuckDB memory limit such as {@code 4GB}, or null for DuckDB's default
 * @param targetFileSize bytes the storage optimiser aims at per Parquet file (default 256 MiB)
 */
public record Defaults(Materialization materialized, String schema, int threads, String memoryLimit,
        long targetFileSize) {
    /** The default target file size: 256 MiB, inside the 128 MB to 1 GB range that scans well. */
    public static final long TARGET_FILE_SIZE = 256L << 20;

    public Defaults {
        requireNonNull(materialized, "materialized");
        requireNonNull(schema, "schema");
    }

    public Defaults(Materialization materialized, String schema, int threads, String memoryLimit) {
        this(materialized, schema, threads, memoryLimit, TARGET_FILE_SIZE);
    }

    public static Defaults standard() {
        return new Defaults(Materialization.VIEW, "main", 0, null);
    }
}
