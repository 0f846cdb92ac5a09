package dev.sluice.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;

/**
 * What the driver's {@link Statement}s do (see {@link JdbcProxy}): a query's rows, or a run's per-model results for
 * {@code CALL sluice_run(...)}; updates are refused, the driver being read-only. One open result set at a time,
 * closed when the next statement runs. Not thread-safe.
 */
class StatementTarget {
    private final ConnectionTarget connection;
    private Statement self;
    private ResultSet result;
    private boolean closed;
    private long maxRows;
    private int fetchSize;
    private int queryTimeout;

    StatementTarget(ConnectionTarget connection) {
        this.connection = connection;
    }

    /** Makes {@code target} a statement of {@code type}, which its result sets name as their statement. */
    static <T extends Statement> T of(Class<T> type, StatementTarget target) {
        T statement = JdbcProxy.of(type, target);
        target.self = statement;
        return statement;
    }

    public ResultSet executeQuery(String sql) throws SQLException {
        return execute(sql, List.of());
    }

    public boolean execute(String sql) throws SQLException {
        execute(sql, List.of());
        return true;
    }

    public int executeUpdate(String sql) throws SQLException {
        throw readOnly();
    }

    public long executeLargeUpdate(String sql) throws SQLException {
        throw readOnly();
    }

    public void addBatch(String sql) throws SQLException {
        throw readOnly();
    }

    public ResultSet getResultSet() throws SQLException {
        open();
        return result;
    }

    /** -1: a statement of this driver never reports an update count. */
    public int getUpdateCount() throws SQLException {
        open();
        return -1;
    }

    public long getLargeUpdateCount() throws SQLException {
        return getUpdateCount();
    }

    public boolean getMoreResults() throws SQLException {
        closeResult();
        return false;
    }

    public boolean getMoreResults(int current) throws SQLException {
        return getMoreResults();
    }

    public Connection getConnection() throws SQLException {
        open();
        return connection.self();
    }

    public void close() throws SQLException {
        if (!closed) {
            closed = true;
            closeResult();
            connection.closed(this);
        }
    }

    public boolean isClosed() {
        return closed;
    }

    public int getMaxRows() {
        return (int) Math.min(Integer.MAX_VALUE, maxRows);
    }

    public void setMaxRows(int rows) throws SQLException {
        setLargeMaxRows(rows);
    }

    public long getLargeMaxRows() {
        return maxRows;
    }

    public void setLargeMaxRows(long rows) throws SQLException {
        if (rows < 0) {
            throw new SQLException("Cannot set max rows to " + rows + ": use 0 (no limit) or more", "22023");
        }
        maxRows = rows;
    }

    public int getFetchSize() {
        return fetchSize;
    }

    /** A hint only: rows are read one by one as the warehouse produces them. */
    public void setFetchSize(int rows) {
        fetchSize = rows;
    }

    public int getQueryTimeout() {
        return queryTimeout;
    }

    /** Recorded for tools that set it; a query is not cut off (the warehouse has no per-statement timeout). */
    public void setQueryTimeout(int seconds) {
        queryTimeout = seconds;
    }

    public void setEscapeProcessing(boolean enable) {
        // no escapes are rewritten but {call sluice_run(...)}, which is always recognised
    }

    public int getResultSetType() {
        return ResultSet.TYPE_FORWARD_ONLY;
    }

    public int getResultSetConcurrency() {
        return ResultSet.CONCUR_READ_ONLY;
    }

    public int getResultSetHoldability() {
        return ResultSet.CLOSE_CURSORS_AT_COMMIT;
    }

    public int getFetchDirection() {
        return ResultSet.FETCH_FORWARD;
    }

    public void setFetchDirection(int direction) throws SQLException {
        if (direction != ResultSet.FETCH_FORWARD) {
            throw new SQLException("Cannot set fetch direction " + direction + ": results are forward-only");
        }
    }

    public SQLWarning getWarnings() {
        return null;
    }

    public void clearWarnings() {
        // no warnings are ever produced
    }

    public boolean isPoolable() {
        return false;
    }

    public void setPoolable(boolean poolable) {
        // nothing is cached per statement
    }

    /** Runs {@code sql}: a run for CALL sluice_run or sluice run, a query otherwise. */
    ResultSet execute(String sql, List<Object> parameters) throws SQLException {
        open();
        closeResult();
        RowSource rows = RunStatement.isRun(sql)
                ? connection.backend().run(RunStatement.parse(sql, parameters))
                : connection.backend().query(sql, parameters);
        result = ResultSetTarget.of(rows, self, maxRows);
        return result;
    }

    void open() throws SQLException {
        if (closed) {
            throw new SQLException("Cannot use the statement: it is closed", "HY010");
        }
        connection.open();
    }

    private void closeResult() throws SQLException {
        if (result != null) {
            result.close();
            result = null;
        }
    }

    static SQLException readOnly() {
        return new SQLException("Cannot update through the Sluice driver: it is read-only (models are written by "
                + "their runs); run the pipeline with CALL sluice_run('selection', 'var=value', ...) instead",
                "25006");
    }
}
