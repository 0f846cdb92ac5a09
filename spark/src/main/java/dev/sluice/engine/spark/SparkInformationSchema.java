package dev.sluice.engine.spark;

import dev.sluice.engine.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.catalog.ViewCatalog;
import org.apache.iceberg.types.Types;

/**
 * DuckDB's (and the SQL standard's) {@code information_schema.tables}, {@code columns} and {@code schemata}, which
 * Sluice's loaders, gates and optimiser ask (does the table exist, is it a view, a column's type) and Spark has not:
 * each is replaced, outside quoted text, by the rows of the warehouse's Iceberg catalog as it is at that statement
 * (types named as Sluice names them, {@link SparkTypes#sluiceName}), with {@code current_database()} as the catalog.
 */
final class SparkInformationSchema {
    private static final Pattern RELATION = Pattern.compile("(?i)\\binformation_schema\\.(tables|columns|schemata)\\b");

    private SparkInformationSchema() {
    }

    /** True when {@code text} (unquoted SQL) names one of the emulated relations. */
    static boolean named(String text) {
        return RELATION.matcher(text).find();
    }

    /** {@code sql} with each emulated relation named outside quoted text replaced by its rows. */
    static String replace(Catalog catalog, String sql) {
        StringBuilder out = new StringBuilder();
        for (SparkStatements.Segment segment : SparkStatements.segments(sql)) {
            if (segment.quoted()) {
                out.append(segment.text());
                continue;
            }
            Matcher matcher = RELATION.matcher(segment.text());
            int last = 0;
            while (matcher.find()) {
                out.append(segment.text(), last, matcher.start()).append(rows(catalog,
                        matcher.group(1).toLowerCase(java.util.Locale.ROOT)));
                last = matcher.end();
            }
            out.append(segment.text().substring(last));
        }
        return out.toString();
    }

    private static String rows(Catalog catalog, String relation) {
        List<String> values = new ArrayList<>();
        List<Namespace> namespaces = ((SupportsNamespaces) catalog).listNamespaces();
        for (Namespace namespace : namespaces) {
            String schema = namespace.level(namespace.length() - 1);
            switch (relation) {
                case "schemata" -> values.add(row(schema));
                case "tables" -> {
                    catalog.listTables(namespace).forEach(id -> values.add(row(schema, id.name(), "BASE TABLE")));
                    if (catalog instanceof ViewCatalog views) {
                        views.listViews(namespace).forEach(id -> values.add(row(schema, id.name(), "VIEW")));
                    }
                }
                case "columns" -> {
                    catalog.listTables(namespace).forEach(id -> columns(values, schema, id,
                            catalog.loadTable(id).schema()));
                    if (catalog instanceof ViewCatalog views) {
                        views.listViews(namespace).forEach(id -> columns(values, schema, id,
                                views.loadView(id).schema()));
                    }
                }
                default -> throw new IllegalArgumentException("information_schema." + relation);
            }
        }
        String columns = switch (relation) {
            case "schemata" -> "schema_name";
            case "tables" -> "table_schema, table_name, table_type";
            case "columns" -> "table_schema, table_name, column_name, data_type, ordinal_position, is_nullable";
            default -> throw new IllegalArgumentException("information_schema." + relation);
        };
        String catalogColumn = relation.equals("schemata") ? "catalog_name" : "table_catalog";
        String body = values.isEmpty()
                ? "SELECT " + nulls(columns) + " WHERE false"
                : "SELECT * FROM VALUES " + String.join(", ", values) + " AS v(" + columns + ")";
        return "(SELECT current_database() AS " + catalogColumn + ", v.* FROM (" + body + ") AS v)";
    }

    private static void columns(List<String> values, String schema, TableIdentifier id, org.apache.iceberg.Schema columns) {
        int position = 0;
        for (Types.NestedField field : columns.columns()) {
            values.add("(" + Sql.string(schema) + ", " + Sql.string(id.name()) + ", " + Sql.string(field.name()) + ", "
                    + Sql.string(SparkTypes.sluiceName(field.type())) + ", " + ++position + ", "
                    + Sql.string(field.isOptional() ? "YES" : "NO") + ")");
        }
    }

    private static String row(String... texts) {
        return "(" + String.join(", ", java.util.Arrays.stream(texts).map(Sql::string).toList()) + ")";
    }

    private static String nulls(String columns) {
        List<String> typed = new ArrayList<>();
        for (String column : columns.split(", ")) {
            typed.add((column.equals("ordinal_position") ? "CAST(NULL AS INT) AS " : "CAST(NULL AS STRING) AS ")
                    + column);
        }
        return String.join(", ", typed);
    }
}
