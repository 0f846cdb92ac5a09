package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A source declared in {@code sluice.yml}: the table {@code schema.table} that models read.
 *
 * @param location where it is declared in sluice.yml, for messages
 */
public record Source(String schema, String table, SourceSpec spec, Map<String, ColumnMeta> columns, Location location) {
    public Source {
        requireNonNull(schema, "schema");
        requireNonNull(table, "table");
        requireNonNull(spec, "spec");
        columns = Map.copyOf(columns);
        requireNonNull(location, "location");
    }

    public String qualifiedName() {
        return schema + "." + table;
    }
}
