package dev.sluice.engine;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Collectors;

/** Small, tested functions that build SQL text: quoted identifiers and escaped literals, never raw user text. */
public final class Sql {
    private Sql() {
    }

    /** {@code "name"}, with embedded double quotes doubled. */
    public static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."name"}. */
    public static String qualified(String schema, String name) {
        return identifier(schema) + "." + identifier(name);
    }

    /** {@code 'text'}, with embedded single quotes doubled. */
    public static String string(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** A typed SQL literal for a Java value: numbers stay numbers, dates become DATE literals, text is quoted. */
    public static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Double || value instanceof Float) {
            return new BigDecimal(value.toString()).toPlainString();
        }
        if (value instanceof Number number) {
            return number.toString();
        }
        if (value instanceof Boolean bool) {
            return bool ? "TRUE" : "FALSE";
        }
        if (value instanceof LocalDate date) {
            return "DATE " + string(date.toString());
        }
        if (value instanceof LocalDateTime timestamp) {
            return "TIMESTAMP " + string(timestamp.toString().replace('T', ' '));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Sql::literal).collect(Collectors.joining(", ", "[", "]"));
        }
        return string(value.toString());
    }

    /**
     * The index just past the quoted text (a string literal or a quoted identifier) that starts at {@code start} in
     * {@code text}; a doubled quote stays inside. The text's length when the quote never closes.
     */
    public static int quotedEnd(String text, int start) {
        char quote = text.charAt(start);
        int i = start + 1;
        while (i < text.length()) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return text.length();
    }
}
