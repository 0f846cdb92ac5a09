package dev.sluice.storage;

import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures a relation in three scans: one aggregate over every column (distinct count, nulls, min/max, width,
 * time span and density), one for skew (the share of the most frequent value), and one over the first rows for
 * sortedness. Stateless.
 */
public final class StatisticsCollector {
    /**
     * Rows read to judge sortedness: enough to see the order, without a window over a billion rows. (Not a filter
     * on row ids: rows a transaction has not committed yet have row ids far above the table's.)
     */
    static final long SORTEDNESS_SAMPLE = 1_000_000;

    private StatisticsCollector() {
    }

    /** Statistics of {@code schema.name}, a table or view of the session's database. */
    public static TableStats collect(Session session, String schema, String name) {
        String relation = Sql.qualified(schema, name);
        Rows described = session.query("SELECT column_name, data_type FROM information_schema.columns WHERE "
                + "table_catalog = current_database() AND table_schema = ? AND table_name = ? ORDER BY ordinal_position",
                schema, name);
        boolean table = "BASE TABLE".equals(session.query("SELECT table_type FROM information_schema.tables WHERE "
                + "table_catalog = current_database() AND table_schema = ? AND table_name = ?", schema, name).single());
        List<String> names = new ArrayList<>();
        List<String> types = new ArrayList<>();
        described.values().forEach(row -> {
            names.add((String) row.get(0));
            types.add((String) row.get(1));
        });
        List<String> aggregates = new ArrayList<>(List.of("count(*)"));
        List<String> tops = new ArrayList<>();
        List<String> skews = new ArrayList<>(List.of("count(*)"));
        List<String> orders = new ArrayList<>();
        List<String> lags = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String column = Sql.identifier(names.get(i));
            String type = types.get(i).toUpperCase(Locale.ROOT);
            boolean nested = nested(type);
            String plain = nested ? "CAST(" + column + " AS VARCHAR)" : column;
            aggregates.add("approx_count_distinct(" + plain + ")");
            aggregates.add("count(" + column + ")");
            aggregates.add(nested ? "NULL" : "CAST(min(" + column + ") AS VARCHAR)");
            aggregates.add(nested ? "NULL" : "CAST(max(" + column + ") AS VARCHAR)");
            aggregates.add(width(column, type));
            boolean temporal = type.equals("DATE") || type.startsWith("TIMESTAMP");
            aggregates.add(temporal ? "(epoch(CAST(max(" + column + ") AS TIMESTAMP)) - epoch(CAST(min(" + column
                    + ") AS TIMESTAMP))) / 86400.0" : "0");
            aggregates.add(temporal ? "count(DISTINCT CAST(" + column + " AS DATE))" : "0");
            String top = "t" + i;
            tops.add((nested ? "NULL" : "approx_top_k(" + column + ", 1)[1]") + " AS " + top);
            skews.add(nested ? "0" : "count_if(r." + column + " = top." + top + ")");
            String previous = "p" + i;
            lags.add(column + ", lag(" + column + ") OVER (" + (table ? "ORDER BY sluice_row" : "") + ") AS " + previous);
            orders.add(nested ? "NULL" : "avg(CASE WHEN " + column + " >= " + previous + " THEN 1.0 WHEN " + column
                    + " < " + previous + " THEN 0.0 END)");
        }
        List<Object> measured = session.query("SELECT " + String.join(", ", aggregates) + " FROM " + relation)
                .values().get(0);
        long rows = ((Number) measured.get(0)).longValue();
        List<Object> skew = names.isEmpty() || rows == 0 ? null : session.query("WITH top AS (SELECT "
                + String.join(", ", tops) + " FROM " + relation + ") SELECT " + String.join(", ", skews) + " FROM "
                + relation + " AS r, top").values().get(0);
        List<Object> sorted = names.isEmpty() || rows == 0 ? null : session.query("SELECT " + String.join(", ", orders)
                + " FROM (SELECT " + String.join(", ", lags) + " FROM (SELECT *"
                + (table ? ", " + session.dialect().rowId() + " AS sluice_row" : "") + " FROM " + relation + " LIMIT " + SORTEDNESS_SAMPLE
                + "))")
                .values().get(0);
        List<ColumnStats> columns = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            int at = 1 + i * 7;
            long present = ((Number) measured.get(at + 1)).longValue();
            double nullFraction = rows == 0 ? 0 : 1 - (double) present / rows;
            // count_if over nothing but NULL comparisons (an all-NULL column) is NULL
            double topShare = skew == null || skew.get(i + 1) == null ? 0
                    : ((Number) skew.get(i + 1)).doubleValue() / rows;
            double sortedness = sorted == null || sorted.get(i) == null ? 0 : ((Number) sorted.get(i)).doubleValue();
            Number width = (Number) measured.get(at + 4);
            // Over no rows, or only NULLs, the span of a time column (max - min) is NULL: no span.
            Number span = (Number) measured.get(at + 5);
            columns.add(new ColumnStats(names.get(i), types.get(i), ((Number) measured.get(at)).longValue(),
                    nullFraction, (String) measured.get(at + 2), (String) measured.get(at + 3),
                    width == null ? 0 : width.doubleValue(), sortedness, Math.max(topShare, nullFraction),
                    span == null ? 0 : span.doubleValue(), ((Number) measured.get(at + 6)).longValue()));
        }
        return new TableStats(schema + "." + name, rows, columns);
    }

    private static boolean nested(String type) {
        return type.endsWith("]") || type.startsWith("STRUCT") || type.startsWith("MAP") || type.startsWith("UNION");
    }

    /** Bytes per value: fixed by the type, or measured for text, blobs and nested values. */
    static String width(String column, String type) {
        int fixed = fixedWidth(type);
        if (fixed > 0) {
            return Integer.toString(fixed);
        }
        if (type.equals("BLOB")) {
            return "avg(octet_length(" + column + "))";
        }
        return "avg(strlen(CAST(" + column + " AS VARCHAR)))";
    }

    static int fixedWidth(String type) {
        if (type.startsWith("DECIMAL")) {
            int precision = type.contains("(") ? Integer.parseInt(type.substring(type.indexOf('(') + 1,
                    type.indexOf(',') > 0 ? type.indexOf(',') : type.indexOf(')')).strip()) : 18;
            return precision <= 4 ? 2 : precision <= 9 ? 4 : precision <= 18 ? 8 : 16;
        }
        return switch (type) {
            case "BOOLEAN", "TINYINT", "UTINYINT" -> 1;
            case "SMALLINT", "USMALLINT" -> 2;
            case "INTEGER", "UINTEGER", "FLOAT", "REAL", "DATE" -> 4;
            case "BIGINT", "UBIGINT", "DOUBLE", "TIME", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_S",
                    "TIMESTAMP_MS", "TIMESTAMP_NS", "INTERVAL" -> 8;
            case "HUGEINT", "UHUGEINT", "UUID" -> 16;
            default -> 0;
        };
    }
}
