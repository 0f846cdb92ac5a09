package dev.sluice.sink;

import dev.sluice.engine.Sql;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DuckDB column types as PostgreSQL types, and each value in PostgreSQL's COPY text format. Types are written as
 * PostgreSQL's {@code format_type} prints them, so a target table's columns compare as text with the model's.
 */
final class PostgresTypes {
    private static final Pattern DECIMAL = Pattern.compile("(?:DECIMAL|NUMERIC)\\((\\d+),\\s*(\\d+)\\)");
    private static final Pattern LIST = Pattern.compile("(.+)\\[\\d*]");

    private PostgresTypes() {
    }

    /** How a value leaves the warehouse: as the engine gives it, or converted there first. */
    enum Form {
        /** As read: numbers, booleans, text, dates, UUIDs. */
        PLAIN,
        /** Cast to text by the warehouse, in a form PostgreSQL parses (timestamps, intervals, enums, times). */
        TEXT,
        /** Bytes as hexadecimal, written as bytea's {@code \x} form. */
        HEX,
        /** Nested values (structs, maps, unions, nested lists) as JSON text, for a jsonb column. */
        JSON,
        /** A list of plain values, written as a PostgreSQL array literal. */
        ARRAY
    }

    /** One column of the model and its PostgreSQL type. */
    record Column(String name, String duckType, String postgresType, Form form) {
        /** The expression the warehouse reads the column with. */
        String select() {
            String column = Sql.identifier(name);
            return switch (form) {
                case PLAIN, ARRAY -> column;
                case TEXT -> "CAST(" + column + " AS VARCHAR)";
                case HEX -> "hex(" + column + ")";
                case JSON -> "CAST(to_json(" + column + ") AS VARCHAR)";
            };
        }

        /** The column's definition in PostgreSQL. */
        String definition() {
            return Sql.identifier(name) + " " + postgresType;
        }
    }

    static Column column(String name, String duckType) {
        String type = duckType.strip().toUpperCase(Locale.ROOT);
        Matcher list = LIST.matcher(type);
        if (list.matches()) {
            Column element = column(name, list.group(1));
            // an array of plain scalars maps to a PostgreSQL array; anything else (nested, converted) to JSON
            return element.form() == Form.PLAIN && !element.postgresType().equals("jsonb")
                    ? new Column(name, duckType, element.postgresType() + "[]", Form.ARRAY)
                    : new Column(name, duckType, "jsonb", Form.JSON);
        }
        Matcher decimal = DECIMAL.matcher(type);
        if (decimal.matches()) {
            return new Column(name, duckType, "numeric(" + decimal.group(1) + "," + decimal.group(2) + ")", Form.PLAIN);
        }
        if (type.startsWith("STRUCT") || type.startsWith("MAP") || type.startsWith("UNION")) {
            return new Column(name, duckType, "jsonb", Form.JSON);
        }
        if (type.startsWith("ENUM")) {
            return new Column(name, duckType, "text", Form.TEXT);
        }
        return switch (type) {
            case "BOOLEAN" -> new Column(name, duckType, "boolean", Form.PLAIN);
            case "TINYINT", "UTINYINT", "SMALLINT" -> new Column(name, duckType, "smallint", Form.PLAIN);
            case "USMALLINT", "INTEGER" -> new Column(name, duckType, "integer", Form.PLAIN);
            case "UINTEGER", "BIGINT" -> new Column(name, duckType, "bigint", Form.PLAIN);
            case "UBIGINT", "HUGEINT", "UHUGEINT" -> new Column(name, duckType, "numeric", Form.PLAIN);
            case "FLOAT", "REAL" -> new Column(name, duckType, "real", Form.PLAIN);
            case "DOUBLE" -> new Column(name, duckType, "double precision", Form.PLAIN);
            case "VARCHAR" -> new Column(name, duckType, "text", Form.PLAIN);
            case "DATE" -> new Column(name, duckType, "date", Form.PLAIN);
            case "UUID" -> new Column(name, duckType, "uuid", Form.PLAIN);
            case "JSON" -> new Column(name, duckType, "jsonb", Form.PLAIN);
            case "BLOB" -> new Column(name, duckType, "bytea", Form.HEX);
            case "TIME" -> new Column(name, duckType, "time without time zone", Form.TEXT);
            case "TIME WITH TIME ZONE" -> new Column(name, duckType, "time with time zone", Form.TEXT);
            case "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "DATETIME" ->
                    new Column(name, duckType, "timestamp without time zone", Form.TEXT);
            case "TIMESTAMP WITH TIME ZONE" -> new Column(name, duckType, "timestamp with time zone", Form.TEXT);
            case "INTERVAL" -> new Column(name, duckType, "interval", Form.TEXT);
            // BIT strings and anything newer: their text, which keeps every value
            default -> new Column(name, duckType, "text", Form.TEXT);
        };
    }

    /** Appends {@code value} of {@code column} in COPY's text format (tab-separated, {@code \N} for NULL). */
    static void append(StringBuilder line, Column column, Object value) {
        if (value == null) {
            line.append("\\N");
            return;
        }
        String text = switch (column.form()) {
            case PLAIN, TEXT, JSON -> plain(value);
            case HEX -> "\\x" + value;
            case ARRAY -> array((List<?>) value);
        };
        escape(line, text);
    }

    private static String plain(Object value) {
        if (value instanceof Boolean bool) {
            return bool ? "t" : "f";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return value.toString();
    }

    /** A PostgreSQL array literal: every element double-quoted (so commas, braces and spaces stay in it). */
    private static String array(List<?> values) {
        StringBuilder array = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                array.append(',');
            }
            Object value = values.get(i);
            if (value == null) {
                array.append("NULL");
            } else {
                array.append('"').append(plain(value).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return array.append('}').toString();
    }

    /** COPY text escapes: backslash, and the row and column separators. */
    private static void escape(StringBuilder line, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> line.append(c);
            }
        }
    }
}
