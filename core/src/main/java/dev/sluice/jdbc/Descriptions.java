package dev.sluice.jdbc;

import dev.sluice.ModelInfo;
import dev.sluice.Sluice;
import dev.sluice.SluiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the project says of its relations, for metadata remarks and keys: model descriptions, column descriptions
 * and PII tags (declared, and derived along column lineage), and the unique keys of merge models. Read once per
 * connection (it plans the project). Immutable.
 */
record Descriptions(Map<String, String> tables, Map<String, String> columns, Map<String, List<String>> keys) {
    static final Descriptions NONE = new Descriptions(Map.of(), Map.of(), Map.of());

    Descriptions {
        tables = Map.copyOf(tables);
        columns = Map.copyOf(columns);
        keys = Map.copyOf(keys);
    }

    /**
     * The descriptions of {@code sluice}'s models; none when the project does not plan (the listings still show the
     * warehouse's relations, which is what a tool can query).
     */
    static Descriptions of(Sluice sluice) {
        List<ModelInfo> models;
        Map<String, Set<String>> pii;
        try {
            models = sluice.models();
            pii = sluice.lineage().pii();
        } catch (SluiceException e) {
            return NONE;
        }
        Map<String, String> tables = new TreeMap<>();
        Map<String, String> columns = new TreeMap<>();
        Map<String, List<String>> keys = new TreeMap<>();
        for (ModelInfo model : models) {
            String relation = key(model.qualifiedName());
            if (!model.description().isBlank()) {
                tables.put(relation, model.description().strip());
            }
            for (ModelInfo.Column column : model.columns()) {
                if (!column.description().isBlank()) {
                    columns.put(relation + "." + key(column.name()), column.description().strip());
                }
            }
            if (!model.uniqueKey().isEmpty()) {
                keys.put(relation, model.uniqueKey());
            }
        }
        pii.forEach((column, origins) -> {
            String name = key(column);
            String tag = origins.size() == 1 && key(origins.iterator().next()).equals(name) ? "PII"
                    : "PII (from " + String.join(", ", origins) + ")";
            columns.merge(name, tag, (description, pii2) -> description + " [" + pii2 + "]");
        });
        return new Descriptions(tables, columns, keys);
    }

    String table(String schema, String table) {
        return tables.get(key(schema + "." + table));
    }

    String column(String schema, String table, String column) {
        return columns.get(key(schema + "." + table + "." + column));
    }

    List<String> key(String schema, String table) {
        return keys.getOrDefault(key(schema + "." + table), List.of());
    }

    /** Relations with a unique key, as {@code schema.table} in lower case. */
    List<String> keyed() {
        return new ArrayList<>(keys.keySet());
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
