package dev.sluice.project;

import dev.sluice.ErrorCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds and reads a model's front matter: YAML in a leading block comment {@code /*--- ... ---*}{@code /}. The
 * comment keeps the file valid SQL for DuckDB and editors.
 */
final class FrontMatterParser {
    static final String OPEN = "/*---";
    static final String CLOSE = "---*/";
    static final List<String> KEYS = List.of("materialized", "schema", "tags", "description", "columns", "enabled", "parser",
            "quality", "when", "otherwise", "incremental", "storage", "time", "sink");
    static final List<String> INCREMENTAL_KEYS = List.of("strategy", "unique_key", "on_schema_change", "order_by");
    static final List<String> COLUMN_KEYS = List.of("description", "pii", "mask", "unmasked");
    static final List<String> STORAGE_KEYS = List.of("format", "path", "compression", "compression_level", "partition_by",
            "sort_by", "row_group_size", "access", "optimize", "measure");

    /**
     * Where the front matter is in a file.
     *
     * @param yaml the text between the markers
     * @param yamlLine 1-based line where {@code yaml} starts
     * @param yamlColumn 1-based column where {@code yaml} starts
     * @param bodyStart offset of the first character after the closing marker (0 without front matter)
     */
    record Split(String yaml, int yamlLine, int yamlColumn, int bodyStart) {
    }

    /** What the front matter declares; null where it says nothing (or said something wrong). */
    record FrontMatter(
            Materialization materialized,
            String schema,
            List<String> tags,
            String description,
            Map<String, ColumnMeta> columns,
            Boolean enabled,
            SqlParserChoice parser,
            List<RuleConfig> quality,
            String when,
            Location whenLocation,
            String otherwise,
            Incremental incremental,
            StorageSpec storage,
            TimeWindow time,
            Location storageAt,
            YamlNode sink) {
        static final FrontMatter EMPTY = new FrontMatter(null, null, List.of(), null, Map.of(), null, null, List.of(),
                null, null, null, null, StorageSpec.NONE, null, null, null);
    }

    private final Fields fields;

    FrontMatterParser(Path file, Problems problems) {
        this.fields = new Fields(file, problems, ErrorCode.MODEL_INVALID);
    }

    /** The front matter's position; a split with no YAML when there is none; null (after a problem) when it is not closed. */
    Split split(String text) {
        int start = 0;
        while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        if (!text.startsWith(OPEN, start)) {
            return new Split(null, 0, 0, 0);
        }
        int yamlStart = start + OPEN.length();
        int end = text.indexOf(CLOSE, yamlStart);
        Location at = ParameterSubstitution.locate(fields.file(), text, start);
        if (end < 0) {
            fields.problem(at, "Cannot read front matter: the comment opened with %s is never closed; end it with a line %s",
                    OPEN, CLOSE);
            return null;
        }
        Location yamlAt = ParameterSubstitution.locate(fields.file(), text, yamlStart);
        return new Split(text.substring(yamlStart, end), yamlAt.line(), yamlAt.column(), end + CLOSE.length());
    }

    FrontMatter parse(Split split) {
        if (split.yaml() == null) {
            return FrontMatter.EMPTY;
        }
        YamlNode document;
        try {
            document = YamlReader.read(split.yaml(), split.yamlLine(), split.yamlColumn());
        } catch (YamlReader.SyntaxError e) {
            fields.problem(new Location(fields.file(), e.line(), e.column()), "Cannot read front matter: invalid YAML: %s; fix the YAML",
                    e.getMessage());
            return FrontMatter.EMPTY;
        }
        if (document == null) {
            return FrontMatter.EMPTY;
        }
        YamlNode.Mapping mapping = fields.mapping(document, "front matter");
        if (mapping == null) {
            return FrontMatter.EMPTY;
        }
        fields.checkKeys(mapping, "front matter", KEYS);
        Materialization materialized = mapping.get("materialized") == null ? null
                : fields.choice(mapping.get("materialized"), "front matter materialized", Materialization.class);
        String schema = mapping.get("schema") == null ? null : fields.identifier(mapping.get("schema"), "front matter schema");
        String description = mapping.get("description") == null ? null
                : fields.string(mapping.get("description"), "front matter description");
        Boolean enabled = mapping.get("enabled") == null ? null : fields.bool(mapping.get("enabled"), "front matter enabled");
        SqlParserChoice parser = mapping.get("parser") == null ? null
                : fields.choice(mapping.get("parser"), "front matter parser", SqlParserChoice.class);
        String when = mapping.get("when") == null ? null : fields.string(mapping.get("when"), "front matter when");
        String otherwise = mapping.get("otherwise") == null ? null
                : fields.identifier(mapping.get("otherwise"), "front matter otherwise");
        if (otherwise != null && when == null) {
            fields.problem(fields.at(mapping.get("otherwise")), "Cannot read front matter: 'otherwise' names the model "
                    + "to run when the 'when' condition is false, but there is no 'when'; add one or remove 'otherwise'");
        }
        Incremental incremental = incremental(mapping.get("incremental"), materialized);
        TimeWindow time = new TimeWindowParser(fields).parse(mapping.get("time"), materialized);
        if (time != null && incremental != null && incremental.strategy() != Incremental.Strategy.APPEND) {
            fields.problem(fields.at(mapping.get("incremental")), "Cannot read front matter: a windowed model replaces "
                    + "whole intervals, so incremental strategy %s does not apply; remove the strategy and unique_key",
                    Fields.lowerName(incremental.strategy()));
            time = null;
        }
        return new FrontMatter(materialized, schema, tags(mapping.get("tags")), description, columns(mapping.get("columns")),
                enabled, parser, fields.rules(mapping.get("quality"), "front matter quality"), when,
                when == null ? null : fields.at(mapping.get("when")), otherwise,
                incremental, windowedStorage(storage(mapping.get("storage")), time, mapping.get("storage")), time,
                storageAt(mapping.get("storage")), mapping.get("sink"));
    }

    /** Where the storage block names its lake folder: its path, else the block itself; null without a block. */
    private Location storageAt(YamlNode storage) {
        if (storage == null) {
            return null;
        }
        YamlNode path = storage instanceof YamlNode.Mapping mapping ? mapping.get("path") : null;
        return fields.at(path != null ? path : storage);
    }

    /**
     * A windowed model's lake output is partitioned by its intervals and written one file per partition: pinning
     * other partitions, a sort order or row groups would be ignored, so it is refused where it is written.
     */
    private StorageSpec windowedStorage(StorageSpec storage, TimeWindow time, YamlNode node) {
        if (time != null && storage.effectiveFormat() == StorageSpec.Format.PARQUET && node instanceof YamlNode.Mapping
                mapping) {
            for (String key : List.of("partition_by", "sort_by", "row_group_size")) {
                if (mapping.get(key) != null) {
                    fields.problem(fields.at(mapping.get(key)), "Cannot read front matter storage %s: a windowed "
                            + "model's lake output is partitioned by its intervals (one file per day, month or year); "
                            + "remove %s", key, key);
                }
            }
        }
        return storage;
    }

    /** The storage block: what the model pins of its layout; {@link StorageSpec#NONE} without one. */
    private StorageSpec storage(YamlNode node) {
        if (node == null) {
            return StorageSpec.NONE;
        }
        YamlNode.Mapping mapping = fields.mapping(node, "front matter storage");
        if (mapping == null) {
            return StorageSpec.NONE;
        }
        fields.checkKeys(mapping, "front matter storage", STORAGE_KEYS);
        StorageSpec.Format format = mapping.get("format") == null ? null
                : fields.choice(mapping.get("format"), "front matter storage format", StorageSpec.Format.class);
        String path = mapping.get("path") == null ? null : fields.string(mapping.get("path"), "front matter storage path");
        StorageSpec.Codec codec = mapping.get("compression") == null ? null
                : fields.choice(mapping.get("compression"), "front matter storage compression", StorageSpec.Codec.class);
        Long level = mapping.get("compression_level") == null ? null
                : fields.integer(mapping.get("compression_level"), "front matter storage compression_level", 1);
        Long rowGroup = mapping.get("row_group_size") == null ? null
                : fields.integer(mapping.get("row_group_size"), "front matter storage row_group_size", 2048);
        StorageSpec.Access access = mapping.get("access") == null ? null
                : fields.choice(mapping.get("access"), "front matter storage access", StorageSpec.Access.class);
        Boolean optimize = mapping.get("optimize") == null ? Boolean.TRUE
                : fields.bool(mapping.get("optimize"), "front matter storage optimize");
        Boolean measure = mapping.get("measure") == null ? Boolean.FALSE
                : fields.bool(mapping.get("measure"), "front matter storage measure");
        boolean lake = format != null && format.lake();
        for (String key : List.of("path", "compression", "compression_level", "partition_by", "row_group_size")) {
            if (!lake && mapping.get(key) != null) {
                fields.problem(fields.at(mapping.get(key)), "Cannot read front matter storage %s: it applies to Parquet "
                        + "outputs only (DuckDB chooses the compression of warehouse tables itself); add format: parquet "
                        + "or remove %s", key, key);
            }
        }
        if (level != null && codec != null) {
            int max = switch (codec) {
                case ZSTD -> 22;
                case GZIP -> 9;
                case UNCOMPRESSED, SNAPPY, LZ4 -> 0;
            };
            if (level > max) {
                fields.problem(fields.at(mapping.get("compression_level")), "Cannot read front matter storage "
                        + "compression_level: %s %s; use zstd (levels 1 to 22) or gzip (1 to 9), or remove the level",
                        Fields.lowerName(codec), max == 0 ? "has no levels" : "levels go from 1 to " + max);
                level = null;
            }
        } else if (level != null && level > 22) {
            fields.problem(fields.at(mapping.get("compression_level")), "Cannot read front matter storage "
                    + "compression_level: %d is above 22, the highest zstd level; use 1 to 22", level);
            level = null;
        }
        return new StorageSpec(format, path, codec, level == null ? null : level.intValue(),
                columnList(mapping.get("partition_by"), "front matter storage partition_by"),
                columnList(mapping.get("sort_by"), "front matter storage sort_by"), rowGroup, access,
                optimize == null || optimize, measure != null && measure);
    }

    /** A column or a list of columns; null when the node is absent. */
    private List<String> columnList(YamlNode node, String what) {
        if (node == null) {
            return null;
        }
        List<String> columns = new ArrayList<>();
        List<YamlNode> items = node instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(node);
        for (YamlNode item : items) {
            String column = fields.string(item, what + " (a column or a list of columns)");
            if (column != null) {
                columns.add(column);
            }
        }
        return columns;
    }

    /** The incremental block; the default (append, fail on schema change) for an incremental model without one. */
    private Incremental incremental(YamlNode node, Materialization materialized) {
        if (node == null) {
            return materialized == Materialization.INCREMENTAL
                    ? new Incremental(Incremental.Strategy.APPEND, List.of(), Incremental.OnSchemaChange.FAIL) : null;
        }
        if (materialized != Materialization.INCREMENTAL) {
            fields.problem(fields.at(node), "Cannot read front matter: 'incremental' settings need materialized: "
                    + "incremental; add it or remove the incremental block");
            return null;
        }
        YamlNode.Mapping mapping = fields.mapping(node, "front matter incremental");
        if (mapping == null) {
            return null;
        }
        fields.checkKeys(mapping, "front matter incremental", INCREMENTAL_KEYS);
        Incremental.Strategy strategy = mapping.get("strategy") == null ? Incremental.Strategy.APPEND
                : fields.choice(mapping.get("strategy"), "front matter incremental strategy", Incremental.Strategy.class);
        Incremental.OnSchemaChange onSchemaChange = mapping.get("on_schema_change") == null
                ? Incremental.OnSchemaChange.FAIL : fields.choice(mapping.get("on_schema_change"),
                        "front matter incremental on_schema_change", Incremental.OnSchemaChange.class);
        List<String> key = mapping.get("unique_key") == null ? List.of()
                : keyColumns(mapping.get("unique_key"));
        if (strategy == null || onSchemaChange == null) {
            return null;
        }
        if (strategy != Incremental.Strategy.APPEND && key.isEmpty()) {
            fields.problem(fields.at(node), "Cannot read front matter: incremental strategy %s needs unique_key (a "
                    + "column or a list of columns)", Fields.lowerName(strategy));
            return null;
        }
        String orderBy = null;
        if (mapping.get("order_by") != null) {
            orderBy = fields.string(mapping.get("order_by"), "front matter incremental order_by");
            if (strategy != Incremental.Strategy.MERGE) {
                fields.problem(fields.at(mapping.get("order_by")), "Cannot read front matter: incremental order_by "
                        + "decides which row of a key a merge keeps, so it needs strategy: merge (it is %s); remove "
                        + "order_by or use strategy: merge", Fields.lowerName(strategy));
                return null;
            }
        }
        return new Incremental(strategy, key, onSchemaChange, orderBy);
    }

    private List<String> keyColumns(YamlNode node) {
        List<String> columns = new ArrayList<>();
        List<YamlNode> items = node instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(node);
        for (YamlNode item : items) {
            String column = fields.string(item, "front matter incremental unique_key");
            if (column != null) {
                columns.add(column);
            }
        }
        return columns;
    }

    private List<String> tags(YamlNode node) {
        List<String> tags = new ArrayList<>();
        if (node == null) {
            return tags;
        }
        List<YamlNode> items = node instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(node);
        for (YamlNode item : items) {
            String tag = fields.string(item, "front matter tags (a tag or a list of tags)");
            if (tag != null) {
                tags.add(tag);
            }
        }
        return tags;
    }

    private Map<String, ColumnMeta> columns(YamlNode node) {
        Map<String, ColumnMeta> columns = new LinkedHashMap<>();
        if (node == null) {
            return columns;
        }
        YamlNode.Mapping mapping = fields.mapping(node, "front matter columns");
        if (mapping == null) {
            return columns;
        }
        for (YamlNode.Entry entry : mapping.entries().values()) {
            String what = "front matter column " + entry.key();
            if (entry.value() instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Scalar.Type.NULL) {
                columns.put(entry.key(), new ColumnMeta("", false));
                continue;
            }
            YamlNode.Mapping column = fields.mapping(entry.value(), what);
            if (column == null) {
                continue;
            }
            fields.checkKeys(column, what, COLUMN_KEYS);
            String description = column.get("description") == null ? "" : fields.string(column.get("description"), what + " description");
            Boolean pii = column.get("pii") == null ? Boolean.FALSE : fields.bool(column.get("pii"), what + " pii");
            Mask mask = column.get("mask") == null ? null : fields.mask(column.get("mask"), what);
            String unmasked = column.get("unmasked") == null ? null : unmaskedReason(column.get("unmasked"), what);
            if (mask != null && unmasked != null) {
                fields.problem(fields.at(column.get("unmasked")), "Cannot read %s: it is declared both mask: %s and "
                        + "unmasked; keep one of them", what, mask.word());
            }
            columns.put(entry.key(), new ColumnMeta(description == null ? "" : description, pii != null && pii, mask,
                    unmasked));
        }
        return columns;
    }

    /** Why a column computed from masked columns is shown in clear: a reason is required, for whoever audits it. */
    private String unmaskedReason(YamlNode node, String what) {
        String reason = node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Scalar.Type.STRING
                ? scalar.text().strip() : "";
        if (reason.isEmpty()) {
            fields.problem(fields.at(node), "Cannot read %s unmasked: it needs the reason the column may be shown in "
                    + "clear, such as unmasked: \"counts only, no personal data\"", what);
            return null;
        }
        return reason;
    }
}
