package dev.sluice.serve;

import dev.sluice.engine.Engine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The catalogs, schemas, tables and columns a Flight SQL client lists, read from the warehouse's standard
 * {@code information_schema}: the published models, their views, and the catalog's tables (schema {@code sluice}).
 * Patterns are SQL LIKE patterns, as JDBC's. Thread-safe as the engine.
 */
final class Metadata {
    private final Engine engine;

    Metadata(Engine engine) {
        this.engine = engine;
    }

    /** The one catalog: the warehouse database. */
    List<List<Object>> catalogs() {
        try (Session session = engine.session()) {
            return session.query("SELECT current_database()").values();
        }
    }

    /** Rows (catalog, schema) of the schemas matching {@code schemaPattern} (null: all). */
    List<List<Object>> schemas(String schemaPattern) {
        try (Session session = engine.session()) {
            return session.query("SELECT catalog_name, schema_name FROM information_schema.schemata "
                    + "WHERE catalog_name = current_database() AND schema_name LIKE ? ORDER BY schema_name",
                    pattern(schemaPattern)).values();
        }
    }

    /**
     * Rows (catalog, schema, table, type) of the tables and views matching the patterns and types (empty: all), with
     * the serialized Arrow schema of each appended when {@code withSchema}.
     */
    List<List<Object>> tables(String schemaPattern, String tablePattern, List<String> types, boolean withSchema) {
        List<List<Object>> tables = new ArrayList<>();
        try (Session session = engine.session()) {
            Rows rows = session.query("SELECT table_catalog, table_schema, table_name, "
                    + "CASE table_type WHEN 'BASE TABLE' THEN 'TABLE' ELSE table_type END "
                    + "FROM information_schema.tables WHERE table_catalog = current_database() "
                    + "AND table_schema LIKE ? AND table_name LIKE ? ORDER BY table_schema, table_name",
                    pattern(schemaPattern), pattern(tablePattern));
            for (List<Object> row : rows.values()) {
                if (!types.isEmpty() && types.stream().noneMatch(t -> t.equalsIgnoreCase((String) row.get(3)))) {
                    continue;
                }
                tables.add(new ArrayList<>(row));
            }
            if (withSchema) {
                Map<String, List<Field>> fields = columns(session, schemaPattern, tablePattern);
                for (List<Object> table : tables) {
                    List<Field> columns = fields.getOrDefault(table.get(1) + "\u0000" + table.get(2), List.of());
                    table.add(new Schema(columns).serializeAsMessage());
                }
            }
        }
        return tables;
    }

    private static Map<String, List<Field>> columns(Session session, String schemaPattern, String tablePattern) {
        Map<String, List<Field>> fields = new LinkedHashMap<>();
        Rows rows = session.query("SELECT table_schema, table_name, column_name, data_type "
                + "FROM information_schema.columns WHERE table_catalog = current_database() "
                + "AND table_schema LIKE ? AND table_name LIKE ? ORDER BY table_schema, table_name, ordinal_position",
                pattern(schemaPattern), pattern(tablePattern));
        for (List<Object> row : rows.values()) {
            fields.computeIfAbsent(row.get(0) + "\u0000" + row.get(1), key -> new ArrayList<>())
                    .add(ArrowTypes.field((String) row.get(2), ((String) row.get(3)).toUpperCase(Locale.ROOT)));
        }
        return fields;
    }

    private static String pattern(String pattern) {
        return pattern == null || pattern.isEmpty() ? "%" : pattern;
    }
}
