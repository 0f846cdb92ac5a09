package dev.sluice.engine.duckdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.ColumnMasks;
import dev.sluice.project.Mask;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A user's read statement rewritten so that it reads masked columns only through their masks: DuckDB parses it
 * ({@code json_serialize_sql}), every table reference to a relation with masked columns becomes a subquery
 * {@code SELECT * REPLACE (<mask> AS column) FROM relation} under the reference's name, and DuckDB prints it back
 * ({@code json_deserialize_sql}). Whatever the statement does with such a column (joins, aggregates, SUMMARIZE,
 * views read through it) then sees masked values only. Statements DuckDB cannot print back are refused while masks
 * apply, except EXPLAIN, which shows no values; so are the table functions that read data around the rewrite
 * ({@code query}, {@code query_table} run SQL text; {@code storage_info} shows stored minimums and maximums).
 */
final class MaskedStatement {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Table functions that show a table's data around the masks: SQL text run unseen, or stored statistics. */
    private static final Set<String> UNMASKABLE_FUNCTIONS = Set.of("query", "query_table", "pragma_storage_info",
            "storage_info");

    private MaskedStatement() {
    }

    static String rewrite(Session session, String statement, ColumnMasks masks) {
        if (masks.isEmpty()) {
            return statement;
        }
        JsonNode tree = parse((String) session.query("SELECT CAST(json_serialize_sql(?) AS VARCHAR)", statement)
                .single());
        if (tree.path("error").asBoolean()) {
            if (statement.stripLeading().toUpperCase(Locale.ROOT).startsWith("EXPLAIN")) {
                return statement;
            }
            throw new SluiceException(ErrorCode.USAGE, "Cannot run query: the warehouse has masked columns and this "
                    + "statement cannot be checked for them (only SELECT, WITH, FROM, TABLE, VALUES, DESCRIBE, SHOW, "
                    + "SUMMARIZE and EXPLAIN can); query with SELECT, or read clear values with the unmask right "
                    + "(sluice query --unmask)");
        }
        String database = (String) session.query("SELECT current_database()").single();
        Set<String> cteNames = new HashSet<>();
        tree.findValues("cte_map").forEach(map -> map.path("map").forEach(entry -> cteNames.add(
                entry.path("key").asText().toLowerCase(Locale.ROOT))));
        List<ObjectNode> references = new ArrayList<>();
        collect(tree, references);
        boolean changed = false;
        for (ObjectNode reference : references) {
            String type = reference.path("type").asText();
            if (type.equals("TABLE_FUNCTION")) {
                String function = reference.path("function").path("function_name").asText().toLowerCase(Locale.ROOT);
                if (UNMASKABLE_FUNCTIONS.contains(function)) {
                    throw new SluiceException(ErrorCode.USAGE, "Cannot run query: %s() reads warehouse data around "
                            + "the masks of its masked columns; name the tables in a SELECT, or read clear values "
                            + "with the unmask right (sluice query --unmask)", function);
                }
                continue;
            }
            String schema = reference.path("schema_name").asText();
            String table = reference.path("table_name").asText();
            if (schema.isEmpty() && cteNames.contains(table.toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (schema.isEmpty() || schema.equalsIgnoreCase(database)) {
                schema = "main";
            }
            Map<String, Mask> masked = masks.of(schema + "." + table);
            if (masked.isEmpty()) {
                continue;
            }
            String select = maskedSelect(session, schema, table, masked);
            if (select == null) {
                continue;
            }
            JsonNode subquery = parse((String) session.query("SELECT CAST(json_serialize_sql(?) AS VARCHAR)", select)
                    .single()).path("statements").get(0);
            String alias = reference.path("alias").asText();
            JsonNode columnAliases = reference.path("column_name_alias");
            JsonNode sample = reference.get("sample");
            JsonNode location = reference.get("query_location");
            reference.removeAll();
            reference.put("type", "SUBQUERY");
            reference.put("alias", alias.isEmpty() ? table : alias);
            reference.set("sample", sample);
            reference.set("query_location", location);
            reference.put("query_location_length", 0);
            reference.set("subquery", subquery);
            reference.set("column_name_alias", columnAliases.isMissingNode() ? JSON.createArrayNode() : columnAliases);
            changed = true;
        }
        if (!changed) {
            return statement;
        }
        return (String) session.query("SELECT json_deserialize_sql(CAST(? AS JSON))", tree.toString()).single();
    }

    /** The relation's rows with its masked columns masked; null when none of them is a column of it (any more). */
    private static String maskedSelect(Session session, String schema, String table, Map<String, Mask> masks) {
        List<String> replaced = new ArrayList<>();
        for (List<Object> row : session.query("SELECT column_name FROM duckdb_columns() WHERE database_name = "
                + "current_database() AND lower(schema_name) = lower(?) AND lower(table_name) = lower(?) "
                + "ORDER BY column_index", schema, table).values()) {
            String column = (String) row.get(0);
            Mask mask = masks.get(column.toLowerCase(Locale.ROOT));
            if (mask != null) {
                replaced.add(expression(Sql.identifier(column), mask) + " AS " + Sql.identifier(column));
            }
        }
        return replaced.isEmpty() ? null : "SELECT * REPLACE (" + String.join(", ", replaced) + ") FROM "
                + Sql.qualified(schema, table);
    }

    /** The mask applied to a column (an identifier or any expression): see {@link Mask} for each one's contract. */
    static String expression(String column, Mask mask) {
        String text = "CAST(" + column + " AS VARCHAR)";
        return switch (mask) {
            case HASH -> "sha256(" + text + ")";
            case REDACT -> "CASE WHEN " + column + " IS NULL THEN NULL ELSE " + Sql.string(Mask.REDACTED) + " END";
            case NULL -> "CASE WHEN false THEN " + column + " END";
            case PARTIAL -> "CASE WHEN length(" + text + ") <= " + Mask.PARTIAL_KEPT + " THEN repeat('*', length("
                    + text + ")) ELSE repeat('*', length(" + text + ") - " + Mask.PARTIAL_KEPT + ") || right(" + text
                    + ", " + Mask.PARTIAL_KEPT + ") END";
        };
    }

    /** Every table reference of the tree: base tables and table functions, wherever they are nested. */
    private static void collect(JsonNode node, List<ObjectNode> references) {
        if (node instanceof ObjectNode object) {
            String type = object.path("type").asText();
            if (type.equals("BASE_TABLE") || type.equals("TABLE_FUNCTION")) {
                references.add(object);
            }
            object.elements().forEachRemaining(child -> collect(child, references));
        } else if (node instanceof ArrayNode array) {
            array.forEach(child -> collect(child, references));
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SluiceException(ErrorCode.INTERNAL, e, "Cannot read DuckDB's parse of a query: %s",
                    e.getOriginalMessage());
        }
    }
}
