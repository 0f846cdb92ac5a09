package dev.sluice.connect;

import dev.sluice.engine.Dialect;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.Source;

/**
 * Sources whose changes are tracked (files by a manifest, tables by a watermark or row hashes) keep their rows in
 * {@code <table>__sluice_data}, tagged with the run that loaded each row ({@code _sluice_run}) and other
 * {@code _sluice_} columns; {@code <table>} is a view without the tags. Incremental models read the rows loaded
 * after their checkpoint.
 */
public final class Tracked {
    public static final String DATA_SUFFIX = "__sluice_data";
    public static final String RUN = "_sluice_run";
    /** The prefix of the tag columns. */
    static final String TAG_PREFIX = "_sluice_";

    private Tracked() {
    }

    /** True when the source's connector tracks its changes. */
    public static boolean isTracked(Source source) {
        return SourceConnectors.tracked(source);
    }

    /** The relation holding a tracked source's rows with their tags. */
    public static String data(Source source) {
        return Sql.qualified(source.schema(), source.table() + DATA_SUFFIX);
    }

    /** The select-list item of every column but the tags, in {@code dialect}. */
    public static String untagged(Dialect dialect) {
        return dialect.columnsWithoutPrefix(TAG_PREFIX);
    }

    /** The rows loaded after {@code afterRun}, without the tags. */
    public static String slice(Dialect dialect, Source source, long afterRun) {
        return "(SELECT " + untagged(dialect) + " FROM " + data(source) + " WHERE " + RUN + " > " + afterRun + ")";
    }

    /** The rows loaded by one run, without the tags: what source gates check. */
    public static String loadedBy(Dialect dialect, Source source, long runId) {
        return "(SELECT " + untagged(dialect) + " FROM " + data(source) + " WHERE " + RUN + " = " + runId + ")";
    }


    public static boolean exists(Session session, Source source) {
        return session.query("SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database() "
                + "AND table_schema = ? AND table_name = ?", source.schema(), source.table() + DATA_SUFFIX)
                .singleLong() > 0;
    }

    /** Replaces a table left by a full load of the source; its state starts empty, so everything is read again. */
    public static void replaceFullTable(Session session, Source source) {
        Object type = session.query("SELECT table_type FROM information_schema.tables WHERE table_catalog = "
                + "current_database() AND table_schema = ? AND table_name = ?", source.schema(), source.table()).single();
        if ("BASE TABLE".equals(type)) {
            session.execute("DROP TABLE " + Sql.qualified(source.schema(), source.table()));
        }
    }

    /**
     * Adds a delta's rows to the data table: creates it from the delta (first load), or first adds the columns the
     * delta brings and retypes those whose type changed; then (re)creates the untagged view.
     */
    public static void append(Session session, Source source, String delta) {
        if (!exists(session, source)) {
            // Created with its rows in one statement: DuckDB 2.0 keeps wrong column statistics for a table created
            // empty and then filled past one row group in the same transaction (max() NULL, joins finding nothing).
            session.execute("CREATE TABLE " + data(source) + " AS SELECT * FROM " + delta);
        } else {
            java.util.Map<String, String> existing = new java.util.HashMap<>();
            session.query("DESCRIBE " + data(source)).values().forEach(row -> existing.put(
                    ((String) row.get(0)).toLowerCase(java.util.Locale.ROOT), (String) row.get(1)));
            for (java.util.List<Object> column : session.query("DESCRIBE " + delta).values()) {
                String name = (String) column.get(0);
                String type = existing.get(name.toLowerCase(java.util.Locale.ROOT));
                if (type == null) {
                    // New files bring a column: older rows have NULL in it.
                    session.execute("ALTER TABLE " + data(source) + " ADD COLUMN " + Sql.identifier(name) + " "
                            + column.get(1));
                } else if (!type.equals(column.get(1))) {
                    // New files carry another type: the column takes it, converting the rows held (or failing clearly).
                    session.execute("ALTER TABLE " + data(source) + " ALTER COLUMN " + Sql.identifier(name) + " TYPE "
                            + column.get(1));
                }
            }
            session.execute(session.dialect().insertByName(data(source), "SELECT * FROM " + delta));
        }
        session.execute("CREATE OR REPLACE VIEW " + Sql.qualified(source.schema(), source.table()) + " AS SELECT "
                + untagged(session.dialect()) + " FROM " + data(source));
    }
}
