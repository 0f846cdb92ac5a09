package dev.sluice.project;

import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the {@code sources:} block of sluice.yml. */
final class SourceParser {
    static final List<String> TABLE_KEYS = List.of("type", "database", "table", "watermark", "overlap", "key",
            "change_detection", "quality", "pii");
    static final List<String> FILES_KEYS =
            List.of("type", "path", "format", "delimiter", "header", "quote", "date_format", "columns", "max_rejected_fraction",
                    "quality", "change_detection", "content_hash", "on_delete", "pii", "ignore_errors", "null_padding",
                    "strict_mode");
    static final List<String> CSV_ONLY_KEYS = List.of("delimiter", "header", "quote", "date_format", "columns",
            "ignore_errors", "null_padding", "strict_mode");
    static final List<String> SYNTHETIC_KEYS = List.of("type", "rows", "seed", "columns", "quality", "pii");
    static final List<String> GENERATORS = List.of("sequence", "uniform", "choice", "date", "timestamp", "text", "reference");
    static final List<String> GENERATOR_OPTIONS = List.of("min", "max", "values", "start", "end", "null_fraction", "prefix");
    static final List<String> CSV_COLUMN_KEYS = List.of("type", "pii", "description");
    static final List<String> SYNTHETIC_COLUMN_KEYS = List.of("type", "generator", "min", "max", "values", "start", "end",
            "null_fraction", "prefix", "pii", "description");
    private static final Set<String> INTEGER_TYPES = Set.of("TINYINT", "SMALLINT", "INTEGER", "INT", "BIGINT", "HUGEINT",
            "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "INT1", "INT2", "INT4", "INT8", "SHORT", "LONG", "SIGNED");

    private final Path root;
    private final List<Path> roots;
    private final Fields fields;

    /** @param allowedPaths the external folders of allowed_paths, besides {@code root} the only ones sources read */
    SourceParser(Path root, List<Path> allowedPaths, Fields fields) {
        this.root = root;
        List<Path> readable = new ArrayList<>();
        readable.add(root);
        readable.addAll(allowedPaths);
        this.roots = List.copyOf(readable);
        this.fields = fields;
    }

    Path root() {
        return root;
    }

    /** False, after reporting it at {@code node}, when the path of a source leaves the project and its allowed paths. */
    boolean confined(Path path, String written, YamlNode node, String what) {
        if (ProjectPaths.isInside(path, roots)) {
            return true;
        }
        fields.problem(fields.at(node), "Cannot read %s: '%s' is outside the project folder and its allowed_paths "
                + "(symbolic links are followed); move the files into the project folder, or add their folder to "
                + "allowed_paths: in sluice.yml if this project may read it", what, written);
        return false;
    }

    List<Source> parse(YamlNode node) {
        List<Source> sources = new ArrayList<>();
        YamlNode.Mapping mapping = fields.mapping(node, "sources");
        if (mapping == null) {
            return sources;
        }
        for (YamlNode.Entry entry : mapping.entries().values()) {
            Source source = source(entry);
            if (source != null) {
                sources.add(source);
            }
        }
        return sources;
    }

    private Source source(YamlNode.Entry entry) {
        String key = entry.key();
        Location location = fields.at(entry);
        String[] parts = key.split("\\.", -1);
        boolean qualified = parts.length == 2 && Fields.IDENTIFIER.matcher(parts[0]).matches()
                && Fields.IDENTIFIER.matcher(parts[1]).matches();
        if (!qualified) {
            fields.problem(location, "Cannot read source '%s': a source is named schema.table (for example raw.%s), "
                    + "each part letters, digits and _", key, parts[parts.length - 1].isEmpty() ? "orders" : parts[parts.length - 1]);
            return null;
        }
        String what = "source " + key;
        YamlNode.Mapping body = fields.mapping(entry.value(), what);
        if (body == null) {
            return null;
        }
        YamlNode typeNode = body.get("type");
        if (typeNode == null) {
            fields.problem(location, "Cannot read %s: type is missing; set type: to one of %s", what, SourceTypes.names());
            return null;
        }
        String type = fields.string(typeNode, what + " type");
        if (type == null) {
            return null;
        }
        SourceType sourceType = SourceTypes.of(type).orElse(null);
        if (sourceType == null) {
            fields.problem(fields.at(typeNode), "Cannot read %s: unknown type '%s'; valid types are %s%s", what, type,
                    SourceTypes.names(), Names.didYouMean(type, SourceTypes.types()));
            return null;
        }
        // The connector reads its own settings; Sluice reads the keys every source has.
        SourceSpec spec = sourceType.parse(new SourceConfig(this, fields, body, key, location));
        List<RuleConfig> quality = fields.rules(body.get("quality"), what + " quality");
        Map<String, ColumnMeta> columns = columnMeta(body.get("columns"), what);
        YamlNode pii = body.get("pii");
        if (pii != null) {
            // pii: [email, phone] tags columns holding personal data; lineage carries the tag to derived columns
            List<YamlNode> items = pii instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(pii);
            for (YamlNode item : items) {
                String column = fields.string(item, what + " pii (a column or a list of columns)");
                if (column != null) {
                    columns.put(column, new ColumnMeta(columns.containsKey(column)
                            ? columns.get(column).description() : "", true));
                }
            }
        }
        return spec == null ? null : new Source(parts[0], parts[1], spec, columns, location, quality);
    }

    SourceSpec.Table table(YamlNode.Mapping body, String what, Location location) {
        fields.checkKeys(body, what, TABLE_KEYS);
        String database = body.get("database") == null ? null : fields.string(body.get("database"), what + " database");
        String table = body.get("table") == null ? null : fields.string(body.get("table"), what + " table");
        if (database == null || table == null) {
            fields.problem(location, "Cannot read %s: a table source needs database: (a DuckDB file relative to the "
                    + "project folder) and table: (schema.table inside it)", what);
            return null;
        }
        String watermark = body.get("watermark") == null ? null
                : fields.string(body.get("watermark"), what + " watermark");
        // A duration (1 hour) for a time column, a number for an id column.
        String overlap = body.get("overlap") instanceof YamlNode.Scalar scalar ? scalar.text()
                : body.get("overlap") == null ? null : fields.string(body.get("overlap"), what + " overlap");
        List<String> key = new ArrayList<>();
        YamlNode keyNode = body.get("key");
        if (keyNode != null) {
            List<YamlNode> items = keyNode instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(keyNode);
            for (YamlNode item : items) {
                String column = fields.string(item, what + " key");
                if (column != null) {
                    key.add(column);
                }
            }
        }
        SourceSpec.TableDetection detection;
        if (body.get("change_detection") != null) {
            detection = fields.choice(body.get("change_detection"), what + " change_detection",
                    SourceSpec.TableDetection.class);
        } else {
            detection = watermark != null ? SourceSpec.TableDetection.WATERMARK : SourceSpec.TableDetection.FULL;
        }
        if (detection == null) {
            return null;
        }
        if (detection == SourceSpec.TableDetection.WATERMARK && watermark == null) {
            fields.problem(location, "Cannot read %s: change_detection: watermark needs watermark: (a monotonic "
                    + "column such as updated_at or an id)", what);
            return null;
        }
        if (detection == SourceSpec.TableDetection.ROW_HASH && key.isEmpty()) {
            fields.problem(location, "Cannot read %s: change_detection: row_hash needs key: (the columns identifying "
                    + "a row)", what);
            return null;
        }
        if (overlap != null && detection != SourceSpec.TableDetection.WATERMARK) {
            fields.problem(fields.at(body.get("overlap")), "Cannot read %s: overlap applies only with a watermark", what);
            return null;
        }
        Path file = root.resolve(database).normalize();
        if (!confined(file, database, body.get("database"), what + " database")) {
            return null;
        }
        return new SourceSpec.Table(file.toString(), table, detection, watermark, overlap, key);
    }

    SourceSpec.Files files(YamlNode.Mapping body, String what, Location location) {
        fields.checkKeys(body, what, FILES_KEYS);
        YamlNode pathNode = body.get("path");
        if (pathNode == null) {
            fields.problem(location, "Cannot read %s: path is missing; set path: to a file or glob relative to the project folder, "
                    + "such as data/orders/*.csv", what);
            return null;
        }
        String path = fields.string(pathNode, what + " path");
        if (path == null) {
            return null;
        }
        String absolute;
        try {
            // resolve keeps glob characters as they are on POSIX file systems
            absolute = root.resolve(path).normalize().toString();
        } catch (InvalidPathException e) {
            fields.problem(fields.at(pathNode), "Cannot read %s path '%s': %s; fix the path", what, path, e.getReason());
            return null;
        }
        if (!confined(Path.of(absolute), path, pathNode, what + " path")) {
            return null;
        }
        SourceSpec.FileFormat format;
        YamlNode formatNode = body.get("format");
        if (formatNode != null) {
            format = fields.choice(formatNode, what + " format", SourceSpec.FileFormat.class);
        } else {
            format = formatOf(path);
            if (format == null) {
                fields.problem(fields.at(pathNode), "Cannot read %s: the format of '%s' is not clear from its extension; "
                        + "set format: to one of csv, parquet, json", what, path);
            }
        }
        if (format == null) {
            return null;
        }
        if (format != SourceSpec.FileFormat.CSV) {
            for (String key : CSV_ONLY_KEYS) {
                YamlNode.Entry csvOption = body.entries().get(key);
                if (csvOption != null) {
                    fields.problem(fields.at(csvOption), "Cannot read %s: %s applies only to format csv, this source is %s; remove it",
                            what, key, Fields.lowerName(format));
                }
            }
        }
        String delimiter = optionalString(body, "delimiter", what);
        String quote = optionalString(body, "quote", what);
        String dateFormat = optionalString(body, "date_format", what);
        Boolean header = body.get("header") == null ? null : fields.bool(body.get("header"), what + " header");
        Map<String, String> columns = csvColumns(body.get("columns"), what);
        Map<String, Boolean> reader = new java.util.TreeMap<>();
        for (String option : SourceSpec.CsvOptions.READER_OPTIONS) {
            if (body.get(option) != null) {
                Boolean value = fields.bool(body.get(option), what + " " + option);
                if (value != null) {
                    reader.put(option, value);
                }
            }
        }
        double maxRejected = 0;
        if (body.get("max_rejected_fraction") != null) {
            Double fraction = fields.fraction(body.get("max_rejected_fraction"), what + " max_rejected_fraction");
            maxRejected = fraction == null ? 0 : fraction;
        }
        SourceSpec.ChangeDetection detection = body.get("change_detection") == null ? SourceSpec.ChangeDetection.FULL
                : fields.choice(body.get("change_detection"), what + " change_detection", SourceSpec.ChangeDetection.class);
        Boolean contentHash = body.get("content_hash") == null ? Boolean.FALSE
                : fields.bool(body.get("content_hash"), what + " content_hash");
        SourceSpec.OnDelete onDelete = body.get("on_delete") == null ? SourceSpec.OnDelete.IGNORE
                : fields.choice(body.get("on_delete"), what + " on_delete", SourceSpec.OnDelete.class);
        if (detection == null || contentHash == null || onDelete == null) {
            return null;
        }
        for (String key : List.of("content_hash", "on_delete")) {
            YamlNode.Entry option = body.entries().get(key);
            if (option != null && detection != SourceSpec.ChangeDetection.MANIFEST) {
                fields.problem(fields.at(option), "Cannot read %s: %s applies only with change_detection: manifest; "
                        + "add it or remove %s", what, key, key);
            }
        }
        return new SourceSpec.Files(absolute, format, new SourceSpec.CsvOptions(delimiter, header, quote, dateFormat, columns,
                reader),
                maxRejected, detection, contentHash, onDelete);
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

    private String optionalString(YamlNode.Mapping body, String key, String what) {
        YamlNode node = body.get(key);
        return node == null ? null : fields.string(node, what + " " + key);
    }

    /**
     * Descriptions and personal-data tags of the columns a source declares as mappings, such as
     * {@code columns: { email: { type: VARCHAR, pii: true, description: Contact address } }}.
     */
    private Map<String, ColumnMeta> columnMeta(YamlNode node, String what) {
        Map<String, ColumnMeta> meta = new LinkedHashMap<>();
        if (node instanceof YamlNode.Mapping mapping) {
            for (YamlNode.Entry entry : mapping.entries().values()) {
                if (entry.value() instanceof YamlNode.Mapping column
                        && (column.get("pii") != null || column.get("description") != null)) {
                    String description = column.get("description") == null ? ""
                            : fields.string(column.get("description"), what + " column " + entry.key() + " description");
                    Boolean pii = column.get("pii") == null ? Boolean.FALSE
                            : fields.bool(column.get("pii"), what + " column " + entry.key() + " pii");
                    meta.put(entry.key(), new ColumnMeta(description == null ? "" : description,
                            pii != null && pii));
                }
            }
        }
        return meta;
    }

    private Map<String, String> csvColumns(YamlNode node, String what) {
        Map<String, String> columns = new LinkedHashMap<>();
        if (node == null) {
            return columns;
        }
        YamlNode.Mapping mapping = fields.mapping(node, what + " columns (column name: DuckDB type)");
        if (mapping == null) {
            return columns;
        }
        for (YamlNode.Entry entry : mapping.entries().values()) {
            String column = what + " column " + entry.key();
            YamlNode typeNode = entry.value();
            if (typeNode instanceof YamlNode.Mapping described) {
                // { type: VARCHAR, pii: true, description: ... }
                fields.checkKeys(described, column, CSV_COLUMN_KEYS);
                typeNode = described.get("type");
                if (typeNode == null) {
                    fields.problem(fields.at(entry), "Cannot read %s: type is missing; set type: to a DuckDB type such "
                            + "as VARCHAR", column);
                    continue;
                }
            }
            String type = fields.string(typeNode, column + " (a DuckDB type such as VARCHAR)");
            if (type != null) {
                columns.put(entry.key(), type);
            }
        }
        return columns;
    }

    SourceSpec.Synthetic synthetic(YamlNode.Mapping body, String what, Location location) {
        fields.checkKeys(body, what, SYNTHETIC_KEYS);
        Long rows = null;
        if (body.get("rows") == null) {
            fields.problem(location, "Cannot read %s: rows is missing; set rows: to the number of rows to generate", what);
        } else {
            rows = fields.integer(body.get("rows"), what + " rows", 0);
        }
        Long seed = body.get("seed") == null ? Long.valueOf(42) : fields.integer(body.get("seed"), what + " seed", Long.MIN_VALUE);
        List<SourceSpec.SyntheticColumn> columns = new ArrayList<>();
        YamlNode columnsNode = body.get("columns");
        if (columnsNode == null) {
            fields.problem(location, "Cannot read %s: columns is missing; list the columns to generate, such as "
                    + "columns: { id: { type: BIGINT } }", what);
            return null;
        }
        YamlNode.Mapping columnMapping = fields.mapping(columnsNode, what + " columns");
        if (columnMapping == null) {
            return null;
        }
        if (columnMapping.entries().isEmpty()) {
            fields.problem(fields.at(columnsNode), "Cannot read %s: columns is empty; list at least one column", what);
        }
        boolean complete = true;
        for (YamlNode.Entry entry : columnMapping.entries().values()) {
            SourceSpec.SyntheticColumn column = syntheticColumn(entry, what);
            if (column == null) {
                complete = false;
            } else {
                columns.add(column);
            }
        }
        if (rows == null || seed == null || !complete || columns.isEmpty()) {
            return null;
        }
        return new SourceSpec.Synthetic(rows, seed, columns);
    }

    private SourceSpec.SyntheticColumn syntheticColumn(YamlNode.Entry entry, String sourceWhat) {
        String what = sourceWhat + " column " + entry.key();
        Location location = fields.at(entry);
        YamlNode.Mapping body = fields.mapping(entry.value(), what);
        if (body == null) {
            return null;
        }
        fields.checkKeys(body, what, SYNTHETIC_COLUMN_KEYS);
        YamlNode typeNode = body.get("type");
        if (typeNode == null) {
            fields.problem(location, "Cannot read %s: type is missing; set type: to a DuckDB type such as BIGINT or VARCHAR", what);
            return null;
        }
        String type = fields.string(typeNode, what + " type");
        if (type == null) {
            return null;
        }
        String generator;
        YamlNode generatorNode = body.get("generator");
        if (generatorNode == null) {
            if (!INTEGER_TYPES.contains(type.strip().toUpperCase(Locale.ROOT))) {
                fields.problem(location, "Cannot read %s: generator is missing (only integer columns default to sequence); "
                        + "set generator: to one of %s", what, String.join(", ", GENERATORS));
                return null;
            }
            generator = "sequence";
        } else {
            generator = fields.string(generatorNode, what + " generator");
            if (generator == null) {
                return null;
            }
            if (!GENERATORS.contains(generator)) {
                fields.problem(fields.at(generatorNode), "Cannot read %s: unknown generator '%s'; valid generators are %s",
                        what, generator, String.join(", ", GENERATORS));
                return null;
            }
        }
        Map<String, Object> options = new LinkedHashMap<>();
        boolean valid = true;
        for (String key : GENERATOR_OPTIONS) {
            YamlNode.Entry option = body.entries().get(key);
            if (option != null) {
                Object value = optionValue(option, what);
                if (value == null) {
                    valid = false;
                } else {
                    options.put(key, value);
                }
            }
        }
        return valid && checkOptions(generator, options, location, what)
                ? new SourceSpec.SyntheticColumn(entry.key(), type, generator, options)
                : null;
    }

    /** The option as Long, BigDecimal, Boolean, LocalDate, String or a list of those; null after a problem. */
    private Object optionValue(YamlNode.Entry option, String what) {
        String optionWhat = what + " " + option.key();
        YamlNode node = option.value();
        if (node instanceof YamlNode.Sequence sequence) {
            if (!option.key().equals("values")) {
                fields.problem(fields.at(node), "Cannot read %s: expected a single value, found a list", optionWhat);
                return null;
            }
            List<Object> values = new ArrayList<>();
            for (YamlNode item : sequence.items()) {
                Object value = scalarValue(item, optionWhat);
                if (value == null) {
                    return null;
                }
                values.add(value);
            }
            return List.copyOf(values);
        }
        if (option.key().equals("values")) {
            fields.problem(fields.at(node), "Cannot read %s: expected a list such as [placed, shipped], found %s", optionWhat, node.kind());
            return null;
        }
        return scalarValue(node, optionWhat);
    }

    private Object scalarValue(YamlNode node, String what) {
        if (node instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.Scalar.Type.NULL) {
            try {
                return ParameterValues.fromYaml(scalar);
            } catch (ParameterValues.InvalidValue e) {
                fields.problem(fields.at(node), "Cannot read %s: %s; fix the value", what, e.getMessage());
                return null;
            }
        }
        fields.problem(fields.at(node), "Cannot read %s: expected a number, string or date, found %s", what, node.kind());
        return null;
    }

    private boolean checkOptions(String generator, Map<String, Object> options, Location location, String what) {
        boolean valid = true;
        List<String> required = switch (generator) {
            case "choice" -> List.of("values");
            case "uniform" -> List.of("min", "max");
            case "reference" -> List.of("max");
            default -> List.of();
        };
        for (String key : required) {
            if (!options.containsKey(key)) {
                fields.problem(location, "Cannot read %s: generator %s needs %s; set %s:", what, generator, key, key);
                valid = false;
            }
        }
        if (options.get("values") instanceof List<?> values && values.isEmpty()) {
            fields.problem(location, "Cannot read %s: values is empty; list at least one value", what);
            valid = false;
        }
        Object nullFraction = options.get("null_fraction");
        if (nullFraction != null && !isFraction(nullFraction)) {
            fields.problem(location, "Cannot read %s: null_fraction %s is not a number between 0 and 1", what, nullFraction);
            valid = false;
        }
        BigDecimal min = number(options.get("min"));
        BigDecimal max = number(options.get("max"));
        if (min != null && max != null && min.compareTo(max) > 0) {
            fields.problem(location, "Cannot read %s: min %s is above max %s; swap them", what, min.toPlainString(), max.toPlainString());
            valid = false;
        }
        return valid;
    }

    private static boolean isFraction(Object value) {
        BigDecimal number = number(value);
        return number != null && number.signum() >= 0 && number.compareTo(BigDecimal.ONE) <= 0;
    }

    private static BigDecimal number(Object value) {
        if (value instanceof Long number) {
            return BigDecimal.valueOf(number);
        }
        return value instanceof BigDecimal number ? number : null;
    }
}
