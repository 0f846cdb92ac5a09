package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A source's settings, as its connector read them from sluice.yml ({@link SourceType#parse}): a value, compared by
 * its fields. The records here are those of the source types Sluice ships; a connector of another type has its own.
 */
public interface SourceSpec {

    /** The {@code type:} of the connector these settings are for. */
    String type();

    /** File formats a files source reads. */
    enum FileFormat { CSV, PARQUET, JSON }

    /** How a files source finds what to read: all files every run, or only new and modified ones. */
    enum ChangeDetection {
        /** Every file is read on every run; the source table is replaced. */
        FULL,
        /** A manifest of path, size and modification time (and optionally a content hash) finds new and modified files. */
        MANIFEST
    }

    /**
     * Where a files source's rows live between runs: read from the files whenever a model reads them (a view over
     * the files), or copied into a warehouse table by each load.
     */
    enum Load {
        /** The source's relation is a view over its files: nothing is copied, every read reads the files. */
        IN_PLACE,
        /** Each load copies the files' rows into a warehouse table (needed to keep rejects, track or quarantine). */
        COPY
    }

    /** What a manifest-tracked source does when a file it read disappears. */
    enum OnDelete {
        /** The file's rows stay; the deletion is reported. */
        IGNORE,
        /** The file's rows are removed from the source (and from models built from it, by a rebuild). */
        RETRACT
    }

    /**
     * Files matching a glob.
     *
     * @param path glob, absolute (resolved against the project folder at load)
     * @param csv CSV options; ignored for other formats
     * @param maxRejectedFraction fraction of corrupt lines (0..1) above which the load fails; 0 = any rejected line fails
     * @param contentHash with a manifest, also compare a hash of each file's content (reads every file: opt-in)
     */
    /**
     * @param s3 for an {@code s3://} path: where the objects are (the project's {@code s3:} with the source's own
     *     over it) and how calls are retried; null for local files
     * @param load {@code load:} as written, null when absent (the connector then reads in place where nothing needs
     *     a copy)
     */
    record Files(String path, FileFormat format, CsvOptions csv, double maxRejectedFraction,
            ChangeDetection changeDetection, boolean contentHash, OnDelete onDelete, ObjectStore s3, Load load)
            implements SourceSpec {
        public Files {
            requireNonNull(path, "path");
            requireNonNull(format, "format");
            requireNonNull(csv, "csv");
            requireNonNull(changeDetection, "changeDetection");
            requireNonNull(onDelete, "onDelete");
        }

        /** Local files. */
        public Files(String path, FileFormat format, CsvOptions csv, double maxRejectedFraction,
                ChangeDetection changeDetection, boolean contentHash, OnDelete onDelete) {
            this(path, format, csv, maxRejectedFraction, changeDetection, contentHash, onDelete, null, null);
        }

        /** Objects in S3 (or local files with {@code s3} null), loaded as the connector decides. */
        public Files(String path, FileFormat format, CsvOptions csv, double maxRejectedFraction,
                ChangeDetection changeDetection, boolean contentHash, OnDelete onDelete, ObjectStore s3) {
            this(path, format, csv, maxRejectedFraction, changeDetection, contentHash, onDelete, s3, null);
        }

        @Override
        public String type() {
            return "files";
        }

        /** Files read in full on every run. */
        public static Files full(String path, FileFormat format, CsvOptions csv, double maxRejectedFraction) {
            return new Files(path, format, csv, maxRejectedFraction, ChangeDetection.FULL, false, OnDelete.IGNORE);
        }
    }

    /**
     * Object storage behind a files source: its settings and the source's {@code retries}, {@code timeout} and
     * {@code backoff} for calls to it.
     */
    record ObjectStore(S3Settings settings, int retries, java.time.Duration timeout, java.time.Duration backoff) {
        public ObjectStore {
            requireNonNull(settings, "settings");
            requireNonNull(timeout, "timeout");
            requireNonNull(backoff, "backoff");
        }
    }

    /**
     * CSV reading options.
     *
     * @param delimiter null lets DuckDB detect it
     * @param header null lets DuckDB detect it
     * @param columns explicit column name → DuckDB type, in order; empty lets DuckDB detect them
     */
    record CsvOptions(String delimiter, Boolean header, String quote, String dateFormat, Map<String, String> columns,
            Map<String, Boolean> reader) {
        /** DuckDB reader options passed through as written: {@code read_csv}'s own names and meaning. */
        public static final List<String> READER_OPTIONS = List.of("ignore_errors", "null_padding", "strict_mode");

        public CsvOptions {
            columns = columns == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columns));
            reader = reader == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(reader));
        }

        public CsvOptions(String delimiter, Boolean header, String quote, String dateFormat, Map<String, String> columns) {
            this(delimiter, header, quote, dateFormat, columns, Map.of());
        }

        public static CsvOptions detect() {
            return new CsvOptions(null, null, null, null, Map.of());
        }
    }

    /**
     * A table of another DuckDB database file, watched without being changed: rows above a high-water mark on a
     * monotonic column (re-reading an overlap for clock skew), or, for tables with neither, a comparison of row
     * hashes per key.
     *
     * @param database the DuckDB file, absolute; attached read-only
     * @param table {@code schema.table} (or {@code table} in schema main) inside it
     * @param watermark the monotonic column (a timestamp or an increasing id), or null
     * @param overlap how far below the last high-water mark to read again: a duration ({@code 1 hour}) for a time
     *     column, a number for an id column; null for none
     * @param key the columns identifying a row: required for row hashes, and used with a watermark to replace
     *     re-read rows instead of adding them twice
     */
    record Table(String database, String table, TableDetection detection, String watermark, String overlap,
            List<String> key) implements SourceSpec {
        public Table {
            requireNonNull(database, "database");
            requireNonNull(table, "table");
            requireNonNull(detection, "detection");
            key = List.copyOf(key);
        }

        @Override
        public String type() {
            return "table";
        }
    }

    /** How a table source finds what changed. */
    enum TableDetection {
        /** The whole table is read on every run. */
        FULL,
        /** Rows above the high-water mark of the watermark column. */
        WATERMARK,
        /** New, changed and deleted keys, by comparing a hash of each row with the last one seen. */
        ROW_HASH
    }

    /** A deterministic generator: the same seed and rows give the same table on every machine. */
    record Synthetic(long rows, long seed, List<SyntheticColumn> columns) implements SourceSpec {
        public Synthetic {
            columns = List.copyOf(columns);
        }

        @Override
        public String type() {
            return "synthetic";
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
