package dev.sluice.connect;

import dev.sluice.project.S3Settings;
import dev.sluice.project.SourceConfig;
import dev.sluice.project.SourceSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Reads the settings of a {@code type: files} source. */
final class FilesConfigParser {
    static final List<String> KEYS =
            List.of("type", "path", "format", "delimiter", "header", "quote", "date_format", "columns",
                    "max_rejected_fraction", "quality", "change_detection", "content_hash", "on_delete", "pii",
                    "ignore_errors", "null_padding", "strict_mode", "s3", "retries", "timeout", "backoff", "load");
    /** Keys that apply only to objects in S3 ({@code path: s3://...}). */
    static final List<String> S3_ONLY_KEYS = List.of("s3", "retries", "timeout", "backoff");
    static final List<String> CSV_ONLY_KEYS = List.of("delimiter", "header", "quote", "date_format", "columns",
            "ignore_errors", "null_padding", "strict_mode");
    static final List<String> CSV_COLUMN_KEYS = List.of("type", "pii", "description", "mask");

    private FilesConfigParser() {
    }

    static SourceSpec.Files parse(SourceConfig config) {
        config.checkKeys(KEYS);
        String what = config.what();
        if (!config.has("path")) {
            config.problem(null, "Cannot read %s: path is missing; set path: to a file or glob relative to the project "
                    + "folder, such as data/orders/*.csv", what);
            return null;
        }
        String written = config.string("path");
        if (written == null) {
            return null;
        }
        SourceSpec.ObjectStore store = null;
        String location;
        if (S3Settings.isS3(written)) {
            store = dev.sluice.connect.s3.S3Paths.parse(config, written);
            if (store == null) {
                return null;
            }
            location = written;
        } else {
            for (String key : S3_ONLY_KEYS) {
                if (config.has(key)) {
                    config.problemAtKey(key, "Cannot read %s: %s applies only to objects in S3 (path: s3://...); "
                            + "remove it", what, key);
                }
            }
            // resolve keeps glob characters as they are on POSIX file systems
            Path path = config.path("path");
            if (path == null) {
                return null;
            }
            location = path.toString();
        }
        SourceSpec.FileFormat format;
        if (config.has("format")) {
            format = config.choice("format", SourceSpec.FileFormat.class);
        } else {
            format = formatOf(written);
            if (format == null) {
                config.problem("path", "Cannot read %s: the format of '%s' is not clear from its extension; "
                        + "set format: to one of csv, parquet, json", what, written);
            }
        }
        if (format == null) {
            return null;
        }
        if (format != SourceSpec.FileFormat.CSV) {
            for (String key : CSV_ONLY_KEYS) {
                if (config.has(key)) {
                    config.problemAtKey(key, "Cannot read %s: %s applies only to format csv, this source is %s; "
                            + "remove it", what, key, format.name().toLowerCase(Locale.ROOT));
                }
            }
        }
        String delimiter = config.string("delimiter");
        String quote = config.string("quote");
        String dateFormat = config.string("date_format");
        Boolean header = config.bool("header");
        Map<String, String> columns = columns(config);
        Map<String, Boolean> reader = new TreeMap<>();
        for (String option : SourceSpec.CsvOptions.READER_OPTIONS) {
            Boolean value = config.bool(option);
            if (value != null) {
                reader.put(option, value);
            }
        }
        Double fraction = config.fraction("max_rejected_fraction");
        double maxRejected = fraction == null ? 0 : fraction;
        SourceSpec.ChangeDetection detection = config.has("change_detection")
                ? config.choice("change_detection", SourceSpec.ChangeDetection.class) : SourceSpec.ChangeDetection.FULL;
        Boolean contentHash = config.has("content_hash") ? config.bool("content_hash") : Boolean.FALSE;
        SourceSpec.OnDelete onDelete = config.has("on_delete")
                ? config.choice("on_delete", SourceSpec.OnDelete.class) : SourceSpec.OnDelete.IGNORE;
        if (detection == null || contentHash == null || onDelete == null) {
            return null;
        }
        for (String key : List.of("content_hash", "on_delete")) {
            if (config.has(key) && detection != SourceSpec.ChangeDetection.MANIFEST) {
                config.problemAtKey(key, "Cannot read %s: %s applies only with change_detection: manifest; "
                        + "add it or remove %s", what, key, key);
            }
        }
        SourceSpec.Load load = config.has("load") ? config.choice("load", SourceSpec.Load.class) : null;
        if (load == SourceSpec.Load.IN_PLACE) {
            inPlaceProblems(config, store != null, detection, maxRejected);
        }
        return new SourceSpec.Files(location, format, new SourceSpec.CsvOptions(delimiter, header, quote,
                dateFormat, columns, reader), maxRejected, detection, contentHash, onDelete, store, load);
    }

    /** Settings that need the rows copied into the warehouse, refused beside {@code load: in_place}. */
    private static void inPlaceProblems(SourceConfig config, boolean s3, SourceSpec.ChangeDetection detection,
            double maxRejected) {
        String what = config.what();
        if (s3) {
            config.problemAtKey("load", "Cannot read %s: load: in_place reads local files only, objects in S3 are "
                    + "copied; remove load: or set load: copy", what);
        }
        if (detection == SourceSpec.ChangeDetection.MANIFEST) {
            config.problemAtKey("load", "Cannot read %s: load: in_place cannot track files by change_detection: "
                    + "manifest (the rows of each file read are kept in the warehouse); set load: copy, or remove "
                    + "change_detection", what);
        }
        if (maxRejected > 0) {
            config.problemAtKey("load", "Cannot read %s: load: in_place keeps no rejected lines, so "
                    + "max_rejected_fraction cannot apply; set load: copy, or remove max_rejected_fraction", what);
        }
    }

    /** The format implied by a path's extension, ignoring a compression suffix; null when unclear. */
    static SourceSpec.FileFormat formatOf(String path) {
        String name = path.toLowerCase(Locale.ROOT);
        for (String compression : List.of(".gz", ".zst", ".zstd")) {
            if (name.endsWith(compression)) {
                name = name.substring(0, name.length() - compression.length());
            }
        }
        if (name.endsWith(".csv") || name.endsWith(".tsv")) {
            return SourceSpec.FileFormat.CSV;
        }
        if (name.endsWith(".parquet")) {
            return SourceSpec.FileFormat.PARQUET;
        }
        if (name.endsWith(".json") || name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
            return SourceSpec.FileFormat.JSON;
        }
        return null;
    }

    /**
     * The declared CSV columns, name → DuckDB type: {@code id: BIGINT} or {@code id: { type: BIGINT, pii: true }}.
     */
    private static Map<String, String> columns(SourceConfig config) {
        Map<String, String> columns = new LinkedHashMap<>();
        SourceConfig mapping = config.mapping("columns", config.what() + " columns (column name: DuckDB type)");
        if (mapping == null) {
            return columns;
        }
        for (String name : mapping.keys()) {
            String column = config.what() + " column " + name;
            String type;
            if (mapping.isMapping(name)) {
                SourceConfig described = mapping.mapping(name, column);
                described.checkKeys(CSV_COLUMN_KEYS);
                if (!described.has("type")) {
                    mapping.problemAtKey(name, "Cannot read %s: type is missing; set type: to a DuckDB type such "
                            + "as VARCHAR", column);
                    continue;
                }
                type = described.string("type", column + " (a DuckDB type such as VARCHAR)");
            } else {
                type = mapping.string(name, column + " (a DuckDB type such as VARCHAR)");
            }
            if (type != null) {
                columns.put(name, type);
            }
        }
        return columns;
    }
}
