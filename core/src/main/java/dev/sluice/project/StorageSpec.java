package dev.sluice.project;

import java.util.List;

/**
 * What a model's front matter fixes of its storage layout ({@code storage:}); every null field (or null list) is
 * left to the optimiser, which fills only what is not pinned.
 *
 * @param format where the output goes: the DuckDB warehouse (default), a Parquet lake folder or an Iceberg table
 * @param path the lake folder, relative to the project folder; null for the default {@code target/lake/<schema>/<name>}
 * @param compression the Parquet codec, or null
 * @param compressionLevel the codec level (ZSTD 1..22, GZIP 1..9), or null
 * @param partitionBy the partition columns (empty: pinned to none), or null
 * @param sortBy the sort order (empty: pinned to none), or null
 * @param rowGroupSize rows per Parquet row group, or null
 * @param access the declared access pattern; null means {@link Access#COLD}, the balanced default
 * @param optimize false to skip the optimiser entirely (pins still apply)
 * @param measure true to measure each full build against CSV and default Parquet ({@code sluice.storage_effects})
 */
public record StorageSpec(
        Format format,
        String path,
        Codec compression,
        Integer compressionLevel,
        List<String> partitionBy,
        List<String> sortBy,
        Long rowGroupSize,
        Access access,
        boolean optimize,
        boolean measure) {
    /** Nothing pinned: the optimiser decides everything, output to the warehouse. */
    public static final StorageSpec NONE = new StorageSpec(null, null, null, null, null, null, null, null, true);

    public StorageSpec {
        partitionBy = partitionBy == null ? null : List.copyOf(partitionBy);
        sortBy = sortBy == null ? null : List.copyOf(sortBy);
    }

    /** Settings whose builds are not measured. */
    public StorageSpec(Format format, String path, Codec compression, Integer compressionLevel,
            List<String> partitionBy, List<String> sortBy, Long rowGroupSize, Access access, boolean optimize) {
        this(format, path, compression, compressionLevel, partitionBy, sortBy, rowGroupSize, access, optimize, false);
    }

    /** The output format, warehouse when not declared. */
    public Format effectiveFormat() {
        return format == null ? Format.WAREHOUSE : format;
    }

    /** Where a model's output is stored. */
    public enum Format {
        /** A table in the DuckDB warehouse file. */
        WAREHOUSE,
        /** A folder of Parquet files (hive partitioning), read through a view of the model's name. */
        PARQUET,
        /**
         * An Apache Iceberg table in the lake folder (Parquet data files, Iceberg metadata), its current metadata
         * recorded in the catalog; read through a view of the model's name over the current snapshot's files.
         */
        ICEBERG;

        /** True for the outputs written as files in a lake folder (Parquet or Iceberg), not into the warehouse. */
        public boolean lake() {
            return this != WAREHOUSE;
        }
    }

    /** Parquet codecs DuckDB writes. */
    public enum Codec { UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4 }

    /** How the output is read: decides between decoding speed and size. */
    public enum Access {
        /** Read often, by dashboards and other models: fast decoding first. */
        HOT,
        /** Read now and then: a balance of size and speed. */
        COLD,
        /** Kept for audits and rarely read: smallest size. */
        ARCHIVE
    }
}
