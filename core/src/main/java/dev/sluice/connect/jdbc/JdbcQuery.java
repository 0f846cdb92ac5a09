package dev.sluice.connect.jdbc;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The SQL a {@code type: jdbc} source sends to its database: what it reads (the table or the query, as
 * {@value #ALIAS}), the conditions pushed down to the source (the watermark, a partition's range) with their bound
 * values, and the select list with the conversions of {@link JdbcTypes}. Only SELECTs: the source is never written.
 *
 * @param relation the table (quoted in the source's quoting) or the query in parentheses
 * @param quote the source's identifier quote
 * @param conditions conditions over {@value #ALIAS}, each with {@code ?} for its values in {@code parameters}
 */
record JdbcQuery(String relation, String quote, List<String> conditions, List<Object> parameters) {
    /** The name the read relation has in every statement. */
    static final String ALIAS = "sluice_source";
    /** The column carrying a row's hash computed by the source (PostgreSQL's md5 of the row's text). */
    static final String SOURCE_HASH = dev.sluice.connect.TrackedRows.SOURCE_HASH;
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    JdbcQuery {
        conditions = List.copyOf(conditions);
        parameters = java.util.Collections.unmodifiableList(new ArrayList<>(parameters));
    }

    /** The read of a source's table or query, without conditions. */
    static JdbcQuery of(JdbcSpec spec, String quote) {
        String relation;
        if (spec.table() != null) {
            List<String> parts = new ArrayList<>();
            for (String part : spec.table().split("\\.")) {
                parts.add(quoted(part, quote));
            }
            relation = String.join(".", parts);
        } else {
            relation = "(" + spec.query().strip().replaceAll(";\\s*$", "") + ")";
        }
        return new JdbcQuery(relation, quote, List.of(), List.of());
    }

    static String quoted(String name, String quote) {
        return quote + name.replace(quote, quote + quote) + quote;
    }

    /** The column as the source names it in conditions. */
    String column(String name) {
        return ALIAS + "." + quoted(name, quote);
    }

    /** This read with one more condition. */
    JdbcQuery where(String condition, Object... values) {
        List<String> all = new ArrayList<>(conditions);
        all.add(condition);
        List<Object> bound = new ArrayList<>(parameters);
        bound.addAll(java.util.Arrays.asList(values));
        return new JdbcQuery(relation, quote, all, bound);
    }

    /**
     * Only rows above the last high-water mark less the overlap, in PostgreSQL's SQL: the mark is bound as text and
     * cast to the column's type ({@code type}), the overlap is an interval or a number.
     */
    JdbcQuery aboveWatermark(String watermark, String type, String previous, String overlap) {
        String bound = "CAST(? AS " + type + ")";
        if (overlap == null) {
            return where(column(watermark) + " > " + bound, previous);
        }
        String amount = overlap.strip();
        return NUMBER.matcher(amount).matches()
                ? where(column(watermark) + " > " + bound + " - ?", previous, new BigDecimal(amount))
                : where(column(watermark) + " > " + bound + " - CAST(? AS interval)", previous, amount);
    }

    /**
     * The {@code count} reads splitting {@code column}'s values from {@code min} to {@code max} into ranges of equal
     * width; the first also reads the rows where it is null, so that together they read every row once.
     */
    List<JdbcQuery> partitions(String name, BigDecimal min, BigDecimal max, int count) {
        List<JdbcQuery> reads = new ArrayList<>();
        if (min == null || max == null) {
            reads.add(this);
            return reads;
        }
        String column = column(name);
        // Whole numbers stay whole (bound as BIGINT, an index on an integer column serves them); others split
        // with ten decimals.
        boolean whole = min.stripTrailingZeros().scale() <= 0 && max.stripTrailingZeros().scale() <= 0;
        BigDecimal width = whole
                ? max.subtract(min).add(BigDecimal.ONE).divide(BigDecimal.valueOf(count), 0, RoundingMode.CEILING)
                : max.subtract(min).divide(BigDecimal.valueOf(count), 10, RoundingMode.CEILING);
        for (int i = 0; i < count; i++) {
            Object low = bound(min.add(width.multiply(BigDecimal.valueOf(i))), whole);
            Object high = bound(min.add(width.multiply(BigDecimal.valueOf(i + 1))), whole);
            String range = i == count - 1 ? column + " >= ?" : column + " >= ? AND " + column + " < ?";
            Object[] values = i == count - 1 ? new Object[] {low} : new Object[] {low, high};
            if (i == 0) {
                range = "(" + range + " OR " + column + " IS NULL)";
            }
            reads.add(where(range, values));
        }
        return reads;
    }

    private static Object bound(BigDecimal value, boolean whole) {
        return whole ? (Object) value.longValueExact() : value;
    }

    /** The SELECT of the given list. */
    String select(String list) {
        return "SELECT " + list + " FROM " + relation + " AS " + ALIAS
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
    }

    /** The SELECT of the columns, as converted for the warehouse, and the source's row hash when asked. */
    String select(List<JdbcColumn> columns, boolean sourceHash) {
        List<String> list = new ArrayList<>(columns.stream().map(JdbcColumn::select).toList());
        if (sourceHash) {
            list.add("md5(CAST(" + ALIAS + " AS text)) AS " + quoted(SOURCE_HASH, quote));
        }
        return select(String.join(", ", list));
    }

    /**
     * The same SELECT with the values written in as literals, for {@code COPY (SELECT ...)}, which takes no bound
     * parameter: text as an escape string (read by the server as the type it is compared with, as when bound with no
     * declared type), numbers as written. The conditions hold {@code ?} only where a value goes.
     */
    String copy(List<JdbcColumn> columns, boolean sourceHash) {
        List<String> inlined = new ArrayList<>();
        int next = 0;
        for (String condition : conditions) {
            StringBuilder written = new StringBuilder();
            for (char c : condition.toCharArray()) {
                if (c == '?') {
                    written.append(literal(parameters.get(next++)));
                } else {
                    written.append(c);
                }
            }
            inlined.add(written.toString());
        }
        return new JdbcQuery(relation, quote, inlined, List.of()).select(columns, sourceHash);
    }

    static String literal(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Long number) {
            return number.toString();
        }
        return "E'" + value.toString().replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /**
     * Binds the values; text goes with no declared type, so that the server reads it as the type the statement
     * compares it with (a high-water mark is text in the catalog, a timestamp or a number in the source).
     */
    static void bind(java.sql.PreparedStatement statement, List<Object> values) throws java.sql.SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            if (value instanceof String) {
                statement.setObject(i + 1, value, java.sql.Types.OTHER);
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }

    /** A read of no row, whose metadata describes the columns. */
    String probe() {
        return "SELECT * FROM " + relation + " AS " + ALIAS + " WHERE 1 = 0";
    }

    /** Refuses a column that the source does not have, naming the columns it has. */
    static SluiceException missing(String what, String name, List<JdbcColumn> columns) {
        return new SluiceException(ErrorCode.SOURCE_INVALID, "%s '%s' is not a column of the source, whose columns "
                + "are %s; fix %s in sluice.yml", what, name, String.join(", ", columns.stream()
                        .map(JdbcColumn::name).toList()), what);
    }
}
