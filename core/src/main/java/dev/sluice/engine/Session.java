package dev.sluice.engine;

/**
 * One connection to an engine. Not thread-safe: each worker thread uses its own session. Statements run in
 * auto-commit mode unless inside {@link #begin()} … {@link #commit()}.
 */
public interface Session extends AutoCloseable {

    /** How the engine of this session writes Sluice's intents as SQL. */
    Dialect dialect();

    /** Runs a statement (or several separated by semicolons when there are no parameters). */
    void execute(String sql, Object... parameters);

    /** Runs a query and reads its whole result. */
    Rows query(String sql, Object... parameters);

    /**
     * Runs a query and reads its rows as the engine produces them (see {@link Cursor}): for results that need not, or
     * cannot, be held in memory whole.
     */
    Cursor stream(String sql, Object... parameters);

    /**
     * Describes a query without running it: its columns with their types, and its parameters (for servers that
     * announce a prepared statement's schema before it runs).
     */
    default Description describe(String sql) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot describe a statement without running it");
    }

    /** A bulk loader into the existing table {@code schema.table} (names unquoted), see {@link Appender}. */
    Appender appender(String schema, String table);

    void begin();

    void commit();

    /** Rolls back the open transaction; does nothing when there is none. */
    void rollback();

    @Override
    void close();
}
