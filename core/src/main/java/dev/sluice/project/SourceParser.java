package dev.sluice.project;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code sources:} block of sluice.yml: each source's name, its {@code type:} (whose connector reads the
 * rest of its settings through a {@link SourceConfig}), its quality rules and column descriptions and tags.
 */
final class SourceParser {
    private final Path root;
    private final List<Path> roots;
    private final Fields fields;
    private final S3Settings s3;

    /** @param allowedPaths the external folders of allowed_paths, besides {@code root} the only ones sources read */
    SourceParser(Path root, List<Path> allowedPaths, Fields fields) {
        this(root, allowedPaths, fields, S3Settings.NONE);
    }

    /** @param s3 the project's object storage settings and allowed buckets */
    SourceParser(Path root, List<Path> allowedPaths, Fields fields, S3Settings s3) {
        this.s3 = s3;
        this.root = root;
        List<Path> readable = new ArrayList<>();
        readable.add(root);
        readable.addAll(allowedPaths);
        this.roots = List.copyOf(readable);
        this.fields = fields;
    }

    S3Settings s3() {
        return s3;
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
                    ColumnMeta meta = columns.getOrDefault(column, new ColumnMeta("", false));
                    columns.put(column, new ColumnMeta(meta.description(), true, meta.mask(), null));
                }
            }
        }
        masks(body.get("mask"), what, columns);
        return spec == null ? null : new Source(parts[0], parts[1], spec, columns, location, quality);
    }

    /**
     * Descriptions and personal-data tags of the columns a source declares as mappings, such as
     * {@code columns: { email: { type: VARCHAR, pii: true, description: Contact address } }}.
     */
    private Map<String, ColumnMeta> columnMeta(YamlNode node, String what) {
        Map<String, ColumnMeta> meta = new LinkedHashMap<>();
        if (node instanceof YamlNode.Mapping mapping) {
            for (YamlNode.Entry entry : mapping.entries().values()) {
                if (entry.value() instanceof YamlNode.Mapping column && (column.get("pii") != null
                        || column.get("description") != null || column.get("mask") != null)) {
                    String description = column.get("description") == null ? ""
                            : fields.string(column.get("description"), what + " column " + entry.key() + " description");
                    Boolean pii = column.get("pii") == null ? Boolean.FALSE
                            : fields.bool(column.get("pii"), what + " column " + entry.key() + " pii");
                    Mask mask = column.get("mask") == null ? null
                            : fields.mask(column.get("mask"), what + " column " + entry.key());
                    meta.put(entry.key(), new ColumnMeta(description == null ? "" : description,
                            pii != null && pii, mask, null));
                }
            }
        }
        return meta;
    }

    /** {@code mask: { email: hash, phone: partial }}: masks of columns a source does not otherwise declare. */
    private void masks(YamlNode node, String what, Map<String, ColumnMeta> columns) {
        if (node == null) {
            return;
        }
        YamlNode.Mapping mapping = fields.mapping(node, what + " mask (a mapping of column: hash | redact | null | "
                + "partial)");
        if (mapping == null) {
            return;
        }
        for (YamlNode.Entry entry : mapping.entries().values()) {
            Mask mask = fields.mask(entry.value(), what + " column " + entry.key());
            if (mask != null) {
                columns.put(entry.key(), columns.getOrDefault(entry.key(), new ColumnMeta("", false)).withMask(mask));
            }
        }
    }
}
