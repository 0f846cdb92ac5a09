package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/** What a source reads: files or a deterministic generator. Later issues add JDBC, HTTP and streams. */
public sealed interface SourceSpec {

    /** File formats a files source reads. */
    enum FileFormat { CSV, PARQUET, JSON }

    /**
     * Files matching a glob.
     *
     * @param path glob, absolute (resolved against the project folder at load)
     * @param csv CSV options; ignored for other formats
     * @param maxRejectedFraction fraction of corrupt lines (0..1) above which the load fails; 0 = any rejected line fails
     */
    record Files(String path, FileFormat format, CsvOptions csv, double maxRejectedFraction) implements SourceSpec {
        public Files {
            requireNonNull(path, "path");
            requireNonNull(format, "format");
            requireNonNull(csv, "csv");
        }
    }

    /**
     * CSV reading options.
     *
     * @param delimiter null lets DuckDB detect it
     * @param header null lets DuckDB detect it
     * @param columns explicit column name → DuckDB type, in order; empty lets DuckDB detect them
     */
    record CsvOptions(String delimiter, Boolean header, String quote, String dateFormat, Map<String, String> columns) {
        public CsvOptions {
            columns = columns == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columns));
        }

        public static CsvOptions detect() {
            return new CsvOptions(null, null, null, null, Map.of());
        }
    }

    /** A deterministic generator: the same seed and rows give the same table on every machine. */
    record Synthetic(long rows, long seed, List<SyntheticColumn> columns) implements SourceSpec {
        public Synthetic {
            columns = List.copyOf(columns);
        }
    }

    /**
     * One generated column.
     *
     * @param generator one of {@code sequence}, {@code uniform}, {@code choice}, {@code date}, {@code timestamp},
     *     {@code text}, {@code reference} (a key of another generated table: uniform in 1..max)
     * @param options generator options: {@code min}, {@code max}, {@code values}, {@code start}, {@code end},
     *     {@code null_fraction}, {@code prefix}
     */
    record SyntheticColumn(String name, String type, String generator, Map<String, Object> options) {
        public SyntheticColumn {
            requireNonNull(name, "name");
            requireNonNull(type, "type");
            requireNonNull(generator, "generator");
            options = options == null ? Map.of() : Map.copyOf(options);
        }
    }
}
