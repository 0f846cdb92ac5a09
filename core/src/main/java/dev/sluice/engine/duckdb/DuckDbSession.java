package dev.sluice.engine.duckdb;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Appender;
import dev.sluice.engine.Cursor;
import dev.sluice.engine.Description;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.JdbcSession;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBConnection;

/** A session over one DuckDB connection. */
final class DuckDbSession extends JdbcSession {
    /** How DuckDB refuses a file outside the allowed directories of a confined database. */
    private static final String CONFINED = "file system operations are disabled by configuration";

    DuckDbSession(Connection connection) {
        super(connection);
    }

    @Override
    public Dialect dialect() {
        return DuckDbDialect.INSTANCE;
    }

    @Override
    public Description describe(String sql) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            ResultSetMetaData meta = statement.getMetaData();
            List<String> columns = new ArrayList<>();
            List<String> types = new ArrayList<>();
            for (int i = 1; meta != null && i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i));
                types.add(meta.getColumnTypeName(i));
            }
            ParameterMetaData parameters = statement.getParameterMetaData();
            List<String> parameterTypes = new ArrayList<>();
            for (int i = 1; i <= parameters.getParameterCount(); i++) {
                parameterTypes.add(parameterType(parameters, i));
            }
            return new Description(columns, types, parameterTypes);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** DuckDB cannot always type a parameter before it is bound (a {@code ?} compared with another {@code ?}). */
    private static String parameterType(ParameterMetaData parameters, int index) {
        try {
            String type = parameters.getParameterTypeName(index);
            return type == null ? "UNKNOWN" : type;
        } catch (SQLException e) {
            return "UNKNOWN";
        }
    }

    @Override
    public Cursor stream(String sql, Object... parameters) {
        PreparedStatement statement = null;
        try {
            statement = prepare(sql, parameters);
            return new DuckDbCursor(statement);
        } catch (SQLException e) {
            SluiceException failure = failure(e);
            if (statement != null) {
                try {
                    statement.close();
                } catch (SQLException cleanup) {
                    failure.addSuppressed(cleanup);
                }
            }
            throw failure;
        }
    }

    @Override
    public Appender appender(String schema, String table) {
        try {
            if (!connection.getAutoCommit()) {
                // The driver begins a transaction at its first statement after setAutoCommit(false); an appender made
                // before any would append in a transaction of its own, committed whatever becomes of the session's.
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
            }
            return new DuckDbAppender(connection.unwrap(DuckDBConnection.class).createAppender(schema, table));
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    protected Object plain(Object value) throws SQLException {
        return plainValue(value);
    }

    /** JDBC values turned into plain Java ones, so callers never see driver types. */
    static Object plainValue(Object value) throws SQLException {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toLocalDateTime();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate();
        }
        if (value instanceof LocalDate || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof java.sql.Array array) {
            Object[] items = (Object[]) array.getArray();
            List<Object> list = new ArrayList<>(items.length);
            for (Object item : items) {
                list.add(plainValue(item));
            }
            return list;
        }
        if (value instanceof java.sql.Struct || value instanceof java.util.Map || value instanceof java.util.UUID) {
            return value.toString();
        }
        return value;
    }

    /**
     * Commits; when the commit fails (a full disk under the write-ahead log, a constraint), the transaction is over,
     * the session is back in auto-commit mode, and the exception is the commit's own error.
     */
    @Override
    public void commit() {
        try {
            connection.commit();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            SluiceException failure = failure(e);
            try {
                endTransaction();
            } catch (SQLException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    @Override
    public void rollback() {
        try {
            if (!connection.getAutoCommit()) {
                endTransaction();
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * Rolls back and returns to auto-commit, also when DuckDB has already ended the transaction: a failed COMMIT rolls
     * it back in DuckDB while the driver still holds it open, and the driver's own ROLLBACK then fails with "no
     * transaction is active" and leaves it believing so.
     */
    private void endTransaction() throws SQLException {
        try {
            connection.rollback();
        } catch (SQLException ended) {
            // A transaction of our own for the driver's rollback to end, which resets what the driver believes.
            try (Statement statement = connection.createStatement()) {
                statement.execute("BEGIN TRANSACTION");
                connection.rollback();
            } catch (SQLException other) {
                other.addSuppressed(ended);
                throw other;
            }
        }
        connection.setAutoCommit(true);
    }

    @Override
    public void close() {
        try {
            rollback();
            connection.close();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    protected SluiceException failure(SQLException e) {
        return error(e);
    }

    /** DuckDB's error as Sluice reports it: a damaged warehouse or a confined file named as such. */
    static SluiceException error(SQLException e) {
        if (DamagedWarehouse.is(e)) {
            return DamagedWarehouse.error("read the warehouse", e);
        }
        String message = cleanMessage(e);
        if (message.contains(CONFINED)) {
            // The engine was opened confined to the project's folders (DuckDbEngine.confine): say how to widen it.
            message = message.replace(CONFINED, CONFINED + " (Sluice lets SQL read files only inside the project "
                    + "folder and the folders of allowed_paths: in sluice.yml; move the file into the project, or add "
                    + "its folder to allowed_paths if this project may read it)");
        }
        return new SluiceException(ErrorCode.RUN_FAILED, e, "%s", message);
    }

    /** DuckDB's message without the JDBC wrapper noise and the trailing stack hints. */
    static String cleanMessage(SQLException e) {
        String message = String.valueOf(e.getMessage()).strip();
        int stack = message.indexOf("\n\nStack Trace");
        return stack >= 0 ? message.substring(0, stack).strip() : message;
    }
}
