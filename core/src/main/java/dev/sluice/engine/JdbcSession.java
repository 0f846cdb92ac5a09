package dev.sluice.engine;

import dev.sluice.SluiceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;

/**
 * What every session on one JDBC connection does the same way: statements with and without parameters, results read
 * whole, parameters bound as the stores pass them. A subclass says how its database takes a statement
 * ({@link #translate}), how its driver's values become plain Java ones ({@link #plain}) and how its errors read
 * ({@link #failure}); transactions stay its own, as their failure modes differ by driver.
 */
public abstract class JdbcSession implements Session {
    /** The session's connection, for what a subclass does beyond this class (transactions, appenders). */
    protected final Connection connection;

    protected JdbcSession(Connection connection) {
        this.connection = connection;
    }

    /** The statement as this database runs it; as written by default. */
    protected String translate(String sql) {
        return sql;
    }

    /** One driver value as the callers of {@link #query} see it. */
    protected abstract Object plain(Object value) throws SQLException;

    /** The driver's error as Sluice reports it. */
    protected abstract SluiceException failure(SQLException e);

    @Override
    public void execute(String sql, Object... parameters) {
        try {
            if (parameters.length == 0) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(translate(sql));
                }
            } else {
                try (PreparedStatement statement = prepare(sql, parameters)) {
                    statement.execute();
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public Rows query(String sql, Object... parameters) {
        try (PreparedStatement statement = prepare(sql, parameters); ResultSet result = statement.executeQuery()) {
            return JdbcRows.read(result, this::plain);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public void begin() {
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** {@code sql} prepared with its parameters bound; times go in as JDBC timestamps, the rest as they are. */
    protected final PreparedStatement prepare(String sql, Object[] parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(translate(sql));
        for (int i = 0; i < parameters.length; i++) {
            Object parameter = parameters[i];
            if (parameter instanceof LocalDateTime time) {
                statement.setTimestamp(i + 1, Timestamp.valueOf(time));
            } else if (parameter instanceof Instant instant) {
                statement.setTimestamp(i + 1, Timestamp.from(instant));
            } else {
                statement.setObject(i + 1, parameter);
            }
        }
        return statement;
    }
}
