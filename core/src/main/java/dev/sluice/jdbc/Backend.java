package dev.sluice.jdbc;

import java.sql.SQLException;
import java.util.List;

/**
 * Where a connection's statements go: the project's warehouse opened per statement through the public API, or the
 * {@code sluice serve} process holding it. Thread-safe: a pooled connection may be used by one thread after another.
 */
interface Backend {
    /** The columns of a run's result set, one row per model; types as the warehouse names them. */
    List<String> RUN_COLUMNS = List.of("run_id", "model", "relation", "status", "rows", "duration_ms", "error");
    List<String> RUN_TYPES = List.of("BIGINT", "VARCHAR", "VARCHAR", "VARCHAR", "BIGINT", "BIGINT", "VARCHAR");

    /** Runs one read statement with {@code parameters} bound to its {@code ?}; its rows as they are produced. */
    RowSource query(String sql, List<Object> parameters) throws SQLException;

    /** Runs the pipeline under the warehouse's lock rules; one row per model in {@link #RUN_COLUMNS}. */
    RowSource run(RunRequest request) throws SQLException;

    /** Where statements go, for messages: the project folder or the server's address. */
    String where();

    /** Releases what the backend holds between statements (a server's client); nothing for the local one. */
    default void close() {
    }
}
