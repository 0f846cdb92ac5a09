package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A source declared in {@code sluice.yml}: the table {@code schema.table} that models read.
 *
 * @param location where it is declared in sluice.yml, for messages
 * @param quality rules checked on the newly loaded data before any model reads it
 */
public record Source(String schema, String table, SourceSpec spec, Map<String, ColumnMeta> columns, Location location,
        List<RuleConfig> quality) {
    public Source {
        requireNonNull(schema, "schema");
        requireNonNull(table, "table");
        requireNonNull(spec, "spec");
        columns = Map.copyOf(columns);
        requireNonNull(location, "location");
        quality = List.copyOf(quality);
    }

    public String qualifiedName() {
        return schema + "." + table;
    }
}
