package dev.sluice.jdbc;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/**
 * A prepared statement's parameters written into its text as SQL literals, for a statement sent to a server (its
 * Flight SQL prepared statements take parameters as Arrow batches of the types it describes; the literals let the
 * server's engine parse and type them itself). Text is quoted with quotes doubled, so a value never becomes SQL.
 */
final class Literals {
    private Literals() {
    }

    /** {@code sql} with each {@code ?} outside quotes and comments replaced by its parameter's literal. */
    static String inline(String sql, List<Object> parameters) throws SQLException {
        StringBuilder out = new StringBuilder(sql.length() + 16 * parameters.size());
        int next = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            int end = skip(sql, i);
            if (end > i) {
                out.append(sql, i, end);
                i = end - 1;
            } else if (c == '?') {
                if (next >= parameters.size()) {
                    throw new SQLException("Cannot run the statement: parameter " + (next + 1) + " is not set; call "
                            + "a set method for it first", "07001");
                }
                out.append(literal(parameters.get(next++)));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The end of a quoted string, quoted name or comment starting at {@code i}; {@code i} when none starts there. */
    private static int skip(String sql, int i) {
        char c = sql.charAt(i);
        if (c == '\'' || c == '"') {
            int end = i + 1;
            while (end < sql.length()) {
                if (sql.charAt(end) == c) {
                    if (end + 1 < sql.length() && sql.charAt(end + 1) == c) {
                        end += 2;
                        continue;
                    }
                    return end + 1;
                }
                end++;
            }
            return sql.length();
        }
        if (sql.startsWith("--", i)) {
            int end = sql.indexOf('\n', i);
            return end < 0 ? sql.length() : end;
        }
        if (sql.startsWith("/*", i)) {
            int end = sql.indexOf("*/", i + 2);
            return end < 0 ? sql.length() : end + 2;
        }
        return i;
    }

    static String literal(Object value) {
        Object plain = Values.plain(value);
        if (plain == null) {
            return "NULL";
        }
        if (plain instanceof Boolean bool) {
            return bool ? "TRUE" : "FALSE";
        }
        if (plain instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (plain instanceof Integer || plain instanceof Long || plain instanceof Short || plain instanceof Byte
                || plain instanceof java.math.BigInteger) {
            return plain.toString();
        }
        if (plain instanceof Double || plain instanceof Float) {
            return "CAST(" + quoted(plain.toString()) + " AS DOUBLE)";
        }
        if (plain instanceof LocalDate date) {
            return "DATE " + quoted(date.toString());
        }
        if (plain instanceof LocalDateTime time) {
            return "TIMESTAMP " + quoted(time.toString().replace('T', ' '));
        }
        return quoted(plain.toString());
    }

    private static String quoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
