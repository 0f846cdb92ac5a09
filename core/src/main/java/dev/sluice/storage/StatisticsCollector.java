package dev.sluice.storage;

import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures a relation in one pass over a sample: a table of up to {@value #SAMPLE_ROWS} rows is measured whole and
 * exactly; a larger one through the engine's sample of about that many rows ({@link
 * dev.sluice.engine.Dialect#sampleFrom}: on DuckDB whole vectors of adjacent rows, read without scanning the rest; on
 * Spark rows kept by chance; kept in the relation's order for sortedness). For a larger one, the bounds
 * a sample would miss come either from one scan of plain aggregates over all rows (non-null counts, min and max, and
 * the days holding rows of a time column, which a sample of clustered rows would undercount: {@link Reading#EVERY_ROW},
 * what lake outputs partitioned by time need), or, for a base table, from the statistics the engine keeps with it,
 * without a scan ({@link Reading#STORED}: min and max of numbers and times, whether a column holds nulls; text bounds,
 * null shares and days then come from the sample). The hashing aggregates (distinct values, skew) read only the
 * sample. Distinct counts of a sample are scaled to the table (GEE); skew, widths and sortedness are read from the
 * sample as they are. Stateless.
 */
public final class StatisticsCollector {
    /**
     * Rows of the sample: enough to see every value of a low-cardinality column, the share of the most frequent one
     * and the order of adjacent rows, in about a tenth of a second whatever the size of the table.
     */
    static final long SAMPLE_ROWS = 262_144;
    /**
     * The seed of the trials' sample ({@link LayoutTrials}). The statistics' sample has none: DuckDB runs a seeded
     * sample on one thread, which took 48 s of a 45M-row build.
     */
    static final int SAMPLE_SEED = 16;

    private StatisticsCollector() {
    }

    /** How the bounds of a relation larger than the sample are read. */
    public enum Reading {
        /** One scan of plain aggregates over every row: exact bounds, null counts and days of time columns. */
        EVERY_ROW,
        /**
         * The engine's stored statistics of a base table where it keeps them (no scan), the sample for the rest;
         * a view, or an engine keeping none, is read as {@link #EVERY_ROW}.
         */
        STORED
    }

    /** Statistics of {@code schema.name}, a table or view of the session's database, its bounds over every row. */
    public static TableStats collect(Session session, String schema, String name) {
        return collect(session, schema, name, Reading.EVERY_ROW);
    }

    /** Statistics of {@code schema.name}, a table or view, its bounds read as {@code reading} says. */
    public static TableStats collect(Session session, String schema, String name, Reading reading) {
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
            types.add(((String) row.get(1)).toUpperCase(Locale.ROOT));
        });
        long rows = session.query("SELECT count(*) FROM " + relation).singleLong();
        boolean sampled = rows > SAMPLE_ROWS;
        String storedQuery = sampled && table && reading == Reading.STORED ? session.dialect().storedStatisticsQuery(
                relation, names.stream().map(Sql::identifier).toList()) : null;
        // The engine's statistics of the table, four values a column (min, max, has null, has non-null), or null.
        List<Object> stored = storedQuery == null ? null : session.query(storedQuery).values().get(0);
        // exact where the sample is the whole relation; only the plain aggregates read every row of a larger one
        List<Object> whole = sampled && stored == null ? session.query(wholeAggregates(names, types, relation))
                .values().get(0) : null;
        String sample = "SELECT *, " + (table ? session.dialect().rowId() : "row_number() OVER ()") + " AS sluice_row "
                + (sampled ? session.dialect().sampleFrom(relation, Math.min(100.0, 100.0 * SAMPLE_ROWS / rows), null)
                        : "FROM " + relation);
        List<Object> measured = session.query(sampleAggregates(names, types, sample)).values().get(0);
        long sampleRows = ((Number) measured.get(0)).longValue();
        List<ColumnStats> columns = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            int at = 1 + i * SAMPLE_VALUES;
            long samplePresent = ((Number) measured.get(at)).longValue();
            String type = types.get(i);
            long present;
            String min = (String) measured.get(at + 1);
            String max = (String) measured.get(at + 2);
            if (whole != null) {
                present = ((Number) whole.get(i * WHOLE_VALUES)).longValue();
                min = (String) whole.get(i * WHOLE_VALUES + 1);
                max = (String) whole.get(i * WHOLE_VALUES + 2);
            } else if (stored != null) {
                present = storedPresent(stored, i, rows, samplePresent, sampleRows);
                // stored bounds of text are cut short by the engine: the sample's are kept for text
                if (stored.get(i * 4) != null && fixedWidth(type) > 0) {
                    min = (String) stored.get(i * 4);
                    max = (String) stored.get(i * 4 + 1);
                }
            } else {
                present = samplePresent;
            }
            double nullFraction = rows == 0 ? 0 : 1 - (double) present / rows;
            String[] groups = ((String) measured.get(at + 3)).split(",");
            long sampleDistinct = Long.parseLong(groups[0]);
            long singletons = Long.parseLong(groups[1]);
            long top = Long.parseLong(groups[2]);
            double topShare = sampleRows == 0 ? 0 : (double) top / sampleRows;
            double sampleNulls = sampleRows == 0 ? 0 : 1 - (double) samplePresent / sampleRows;
            Number width = (Number) measured.get(at + 4);
            boolean temporal = type.equals("DATE") || type.startsWith("TIMESTAMP");
            double span = temporal ? span(min, max) : 0;
            String[] dates = ((String) measured.get(at + 5)).split(",");
            // days holding rows: counted over all rows of a sampled table read whole, else estimated from the sample
            long days = whole != null ? ((Number) whole.get(i * WHOLE_VALUES + 3)).longValue()
                    : Math.min(scaleDistinct(Long.parseLong(dates[0]), Long.parseLong(dates[1]), samplePresent,
                            present), (long) Math.floor(span) + 1);
            double sortedness = measured.get(at + 6) == null ? 0 : ((Number) measured.get(at + 6)).doubleValue();
            columns.add(new ColumnStats(names.get(i), type, scaleDistinct(sampleDistinct, singletons, samplePresent,
                    present), nullFraction, min, max, width == null ? 0 : width.doubleValue(), sortedness,
                    Math.max(topShare, sampleNulls), span, temporal ? days : 0));
        }
        return new TableStats(schema + "." + name, rows, columns);
    }

    /**
     * The non-null values of column {@code i} from the engine's statistics where they settle it (no null, or only
     * nulls), else the sample's share of non-null values scaled to the table.
     */
    private static long storedPresent(List<Object> stored, int i, long rows, long samplePresent, long sampleRows) {
        if ("false".equals(stored.get(i * 4 + 2))) {
            return rows;
        }
        if ("false".equals(stored.get(i * 4 + 3))) {
            return 0;
        }
        return sampleRows == 0 ? 0 : Math.round((double) rows * samplePresent / sampleRows);
    }

    /** Values per column that {@link #sampleAggregates} returns after the sample's row count. */
    private static final int SAMPLE_VALUES = 7;

    /** Values per column that {@link #wholeAggregates} returns. */
    private static final int WHOLE_VALUES = 4;

    /** Non-null count, min and max (as text) of each column over every row. */
    private static String wholeAggregates(List<String> names, List<String> types, String relation) {
        List<String> aggregates = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String column = Sql.identifier(names.get(i));
            boolean nested = nested(types.get(i));
            aggregates.add("count(" + column + ")");
            aggregates.add(nested ? "NULL" : "CAST(min(" + column + ") AS VARCHAR)");
            aggregates.add(nested ? "NULL" : "CAST(max(" + column + ") AS VARCHAR)");
            String type = types.get(i);
            aggregates.add(type.equals("DATE") || type.startsWith("TIMESTAMP") ? "count(DISTINCT CAST(" + column
                    + " AS DATE))" : "0");
        }
        return "SELECT " + String.join(", ", aggregates) + " FROM " + relation;
    }

    /**
     * One statement over the sample, read once: its rows, then per column the non-null count, min, max, the distinct
     * values with the values seen once and the count of the most frequent value (as text: {@code d,f1,top}), the
     * width, the days holding rows with the days holding one row ({@code d,f1}) and the share of adjacent rows in
     * ascending order.
     */
    private static String sampleAggregates(List<String> names, List<String> types, String sample) {
        // plain aggregates of every column in one pass, the order of adjacent rows in one window: one sort, not one
        // per column
        List<String> plain = new ArrayList<>(List.of("count(*) AS sluice_rows"));
        List<String> adjacent = new ArrayList<>();
        List<String> ordered = new ArrayList<>();
        List<String> values = new ArrayList<>(List.of("a.sluice_rows"));
        for (int i = 0; i < names.size(); i++) {
            String column = Sql.identifier(names.get(i));
            String type = types.get(i);
            boolean nested = nested(type);
            String grouped = nested ? "CAST(" + column + " AS VARCHAR)" : column;
            boolean temporal = type.equals("DATE") || type.startsWith("TIMESTAMP");
            plain.add("count(" + column + ") AS n" + i);
            plain.add((nested ? "NULL" : "CAST(min(" + column + ") AS VARCHAR)") + " AS lo" + i);
            plain.add((nested ? "NULL" : "CAST(max(" + column + ") AS VARCHAR)") + " AS hi" + i);
            plain.add((fixedWidth(type) > 0 ? Integer.toString(fixedWidth(type)) : width(column, type)) + " AS w" + i);
            if (!nested) {
                adjacent.add(column + " AS v" + i + ", lag(" + column + ") OVER w AS p" + i);
                ordered.add("avg(CASE WHEN v" + i + " >= p" + i + " THEN 1.0 WHEN v" + i + " < p" + i
                        + " THEN 0.0 END) AS o" + i);
            }
            values.add("a.n" + i);
            values.add("a.lo" + i);
            values.add("a.hi" + i);
            // one grouping per column: distinct values, values seen once and the most frequent one's count
            values.add("(SELECT count(*) || ',' || coalesce(count_if(n = 1), 0) || ',' || coalesce(max(n), 0) FROM "
                    + "(SELECT count(*) AS n FROM s WHERE " + column + " IS NOT NULL GROUP BY " + grouped + "))");
            values.add("a.w" + i);
            values.add(temporal ? "(SELECT count(*) || ',' || coalesce(count_if(n = 1), 0) FROM (SELECT count(*) AS n "
                    + "FROM s WHERE " + column + " IS NOT NULL GROUP BY CAST(" + column + " AS DATE)))" : "'0,0'");
            values.add(nested ? "NULL" : "o.o" + i);
        }
        String order = ordered.isEmpty() ? "SELECT NULL AS sluice_none"
                : "SELECT " + String.join(", ", ordered) + " FROM (SELECT " + String.join(", ", adjacent)
                        + " FROM s WINDOW w AS (ORDER BY sluice_row))";
        return "WITH s AS MATERIALIZED (" + sample + "), a AS (SELECT " + String.join(", ", plain) + " FROM s), o AS ("
                + order + ") SELECT " + String.join(", ", values) + " FROM a, o";
    }

    /**
     * The distinct values of a column estimated from a sample holding {@code sampleDistinct} of them ({@code
     * singletons} seen once) in {@code samplePresent} non-null values, for a relation of {@code present} non-null
     * values: exact when the sample is the relation; linear when nearly every value was seen once (a key);
     * otherwise the GEE estimator (the values seen once stand for sqrt(present / sample) as many), which keeps a
     * category's count as it is.
     */
    static long scaleDistinct(long sampleDistinct, long singletons, long samplePresent, long present) {
        if (samplePresent >= present || samplePresent == 0) {
            return sampleDistinct;
        }
        double scale = (double) present / samplePresent;
        double estimate = singletons >= 0.9 * samplePresent ? sampleDistinct * scale
                : Math.sqrt(scale) * singletons + (sampleDistinct - singletons);
        return Math.min(present, Math.round(estimate));
    }

    /** Days between the min and max of a time column as text, 0 when they cannot be read. */
    private static double span(String min, String max) {
        java.time.LocalDateTime from = timestamp(min);
        java.time.LocalDateTime to = timestamp(max);
        return from == null || to == null ? 0 : java.time.Duration.between(from, to).toMillis() / 86_400_000.0;
    }

    private static java.time.LocalDateTime timestamp(String text) {
        if (text == null || text.length() < 10) {
            return null;
        }
        try {
            java.time.LocalDate date = java.time.LocalDate.parse(text.substring(0, 10));
            String time = text.length() >= 19 ? text.substring(11, 19) : "00:00:00";
            return date.atTime(java.time.LocalTime.parse(time));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
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
