package dev.sluice.catalog;

import dev.sluice.engine.Appender;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.util.ArrayList;
import java.util.List;

/** What the DuckDB stores share: the batching of multi-row statements and the reading of nullable numbers. */
final class CatalogRows {
    /**
     * Rows per statement of a multi-row insert or delete: a source of 100,000 files must not cost 100,000 round
     * trips, nor one statement of unbounded size.
     */
    static final int BATCH = 2000;

    private CatalogRows() {
    }

    /** The items in consecutive slices of at most {@link #BATCH}. */
    static <T> List<List<T>> batches(List<T> items) {
        List<List<T>> batches = new ArrayList<>();
        for (int from = 0; from < items.size(); from += BATCH) {
            batches.add(items.subList(from, Math.min(items.size(), from + BATCH)));
        }
        return batches;
    }

    /**
     * Inserts {@code rows} (each a value per column, in the table's column order) into {@code sluice.<table>}: through
     * the session's appender where it has one (a DuckDB catalog, where a multi-row VALUES statement costs about 0.1
     * ms of parsing and binding per row: 10 to 15 ms for the hundred-odd interval or late-row records of a windowed
     * build, against about 1 ms appended), else as multi-row VALUES statements of at most {@link #BATCH} rows.
     */
    static void insert(Session session, String table, List<List<Object>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Appender appender;
        try {
            appender = session.appender("sluice", table);
        } catch (UnsupportedOperationException e) {
            // a catalog session that loads no rows in bulk: PostgreSQL's, or the outbox of a catalog elsewhere
            appender = null;
        }
        if (appender != null) {
            try (Appender open = appender) {
                rows.forEach(open::append);
            }
            return;
        }
        for (List<List<Object>> batch : batches(rows)) {
            List<String> values = new ArrayList<>();
            for (List<Object> row : batch) {
                values.add("(" + String.join(", ", row.stream().map(Sql::literal).toList()) + ")");
            }
            session.execute("INSERT INTO sluice." + table + " VALUES " + String.join(", ", values));
        }
    }

    /** True when the catalog has table {@code sluice.<table>} (a catalog read without migrating may be older). */
    static boolean tableExists(Session session, String table) {
        if (session instanceof PostgresCatalogSession postgres) {
            return postgres.engine().relationKind("sluice", table) != Engine.RelationKind.NONE;
        }
        return session.query("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                + "AND schema_name = 'sluice' AND table_name = ?", table).singleLong() > 0;
    }

    /** The column that orders a table's rows as they were inserted (the stores' rows are never updated in place). */
    static String insertionOrder(Session session) {
        return session instanceof PostgresCatalogSession ? "ctid" : session.dialect().rowId();
    }

    static Long toLong(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    static Double toDouble(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }
}
