package dev.sluice.jdbc;

import dev.sluice.Sluice;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What the driver's {@link Connection}s do (see {@link JdbcProxy}): statements over a {@link Backend}. A connection
 * holds nothing open between statements (the warehouse is opened per query), so a pooled one never blocks a run.
 * Read-only: transactions are accepted and do nothing, there being nothing to commit. Thread-safe for the pool's
 * hand-over from thread to thread.
 */
final class ConnectionTarget {
    private final DriverUrl url;
    private final Sluice sluice;
    private final Backend backend;
    private final List<StatementTarget> statements = new ArrayList<>();
    private Connection self;
    private DatabaseMetaData metadata;
    private volatile boolean closed;
    private boolean autoCommit = true;
    private int isolation = Connection.TRANSACTION_READ_COMMITTED;

    private ConnectionTarget(DriverUrl url, Sluice sluice, Backend backend) {
        this.url = url;
        this.sluice = sluice;
        this.backend = backend;
    }

    /** A connection to the project {@code sluice} read, whose statements go to {@code backend}. */
    static Connection of(DriverUrl url, Sluice sluice, Backend backend) {
        ConnectionTarget target = new ConnectionTarget(url, sluice, backend);
        target.self = JdbcProxy.of(Connection.class, target);
        return target.self;
    }

    public Statement createStatement() throws SQLException {
        return add(Statement.class, new StatementTarget(this));
    }

    public Statement createStatement(int type, int concurrency) throws SQLException {
        supported(type, concurrency);
        return createStatement();
    }

    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        supported(type, concurrency);
        return createStatement();
    }

    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return add(PreparedStatement.class, new PreparedStatementTarget(this, sql));
    }

    public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        supported(type, concurrency);
        return prepareStatement(sql);
    }

    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        supported(type, concurrency);
        return prepareStatement(sql);
    }

    /** For {@code {call sluice_run(?, ...)}}: bound like a prepared statement; no out parameters. */
    public CallableStatement prepareCall(String sql) throws SQLException {
        return add(CallableStatement.class, new PreparedStatementTarget(this, sql));
    }

    public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
        supported(type, concurrency);
        return prepareCall(sql);
    }

    public DatabaseMetaData getMetaData() throws SQLException {
        open();
        if (metadata == null) {
            metadata = MetadataTarget.of(this);
        }
        return metadata;
    }

    public synchronized void close() throws SQLException {
        if (!closed) {
            closed = true;
            try {
                for (StatementTarget statement : new ArrayList<>(statements)) {
                    statement.close();
                }
            } finally {
                backend.close();
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** True while open: the backend is reached per statement, so there is no link to lose. */
    public boolean isValid(int timeoutSeconds) throws SQLException {
        if (timeoutSeconds < 0) {
            throw new SQLException("Cannot check the connection with timeout " + timeoutSeconds + ": use 0 or more",
                    "22023");
        }
        return !closed;
    }

    public void setAutoCommit(boolean autoCommit) throws SQLException {
        open();
        this.autoCommit = autoCommit;
    }

    public boolean getAutoCommit() throws SQLException {
        open();
        return autoCommit;
    }

    /** Nothing to commit: the connection only reads; a run commits each model itself. */
    public void commit() throws SQLException {
        open();
    }

    public void rollback() throws SQLException {
        open();
    }

    /** A hint (JDBC's word): the connection is read-only either way, and refuses updates with a clear error. */
    public void setReadOnly(boolean readOnly) throws SQLException {
        open();
    }

    public boolean isReadOnly() throws SQLException {
        open();
        return true;
    }

    public int getTransactionIsolation() throws SQLException {
        open();
        return isolation;
    }

    /** Recorded: each query reads the last committed state of the warehouse whatever the level asked for. */
    public void setTransactionIsolation(int level) throws SQLException {
        open();
        isolation = level;
    }

    /** No catalogs: relations are named {@code schema.table}. */
    public String getCatalog() throws SQLException {
        open();
        return null;
    }

    public void setCatalog(String catalog) throws SQLException {
        open();
    }

    public String getSchema() throws SQLException {
        open();
        return "main";
    }

    public void setSchema(String schema) throws SQLException {
        open();
        if (schema != null && !schema.equalsIgnoreCase("main")) {
            throw new SQLException("Cannot set schema '" + schema + "': the Sluice driver reads relations as "
                    + "schema.table, in schema main by default; qualify the table instead", "3F000");
        }
    }

    public SQLWarning getWarnings() throws SQLException {
        open();
        return null;
    }

    public void clearWarnings() throws SQLException {
        open();
    }

    public String nativeSQL(String sql) throws SQLException {
        open();
        return sql;
    }

    public int getHoldability() throws SQLException {
        open();
        return ResultSet.CLOSE_CURSORS_AT_COMMIT;
    }

    public Properties getClientInfo() throws SQLException {
        open();
        return new Properties();
    }

    public String getClientInfo(String name) throws SQLException {
        open();
        return null;
    }

    public Map<String, Class<?>> getTypeMap() throws SQLException {
        open();
        return Map.of();
    }

    /** The project as read when connecting: its models' descriptions and keys for the metadata. */
    Sluice sluice() {
        return sluice;
    }

    Backend backend() {
        return backend;
    }

    DriverUrl url() {
        return url;
    }

    Connection self() {
        return self;
    }

    synchronized void closed(StatementTarget statement) {
        statements.remove(statement);
    }

    void open() throws SQLException {
        if (closed) {
            throw new SQLException("Cannot use the connection to " + url + ": it is closed", "08003");
        }
    }

    private synchronized <T extends Statement> T add(Class<T> type, StatementTarget statement) throws SQLException {
        open();
        statements.add(statement);
        return StatementTarget.of(type, statement);
    }

    private static void supported(int type, int concurrency) throws SQLException {
        if (type != ResultSet.TYPE_FORWARD_ONLY || concurrency != ResultSet.CONCUR_READ_ONLY) {
            throw new java.sql.SQLFeatureNotSupportedException("Cannot create a statement of result set type " + type
                    + " and concurrency " + concurrency + ": the Sluice driver's results are forward-only and "
                    + "read-only (TYPE_FORWARD_ONLY, CONCUR_READ_ONLY)");
        }
    }

    @Override
    public String toString() {
        return "SluiceConnection[" + url + "]";
    }
}
