package dev.sluice.catalog;

import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
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
