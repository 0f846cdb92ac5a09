package dev.sluice.jdbc;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;

/**
 * What the driver's {@link java.sql.PreparedStatement}s (and {@link java.sql.CallableStatement}s, for
 * {@code {call sluice_run(?, ?)}}) do: the statement's {@code ?} bound by the warehouse when it runs (never pasted
 * into the text). Not thread-safe.
 */
final class PreparedStatementTarget extends StatementTarget {
    private final String sql;
    private final List<Object> parameters = new ArrayList<>();

    PreparedStatementTarget(ConnectionTarget connection, String sql) {
        super(connection);
        this.sql = sql;
    }

    public ResultSet executeQuery() throws SQLException {
        return execute(sql, new ArrayList<>(parameters));
    }

    public boolean execute() throws SQLException {
        executeQuery();
        return true;
    }

    public int executeUpdate() throws SQLException {
        throw readOnly();
    }

    public long executeLargeUpdate() throws SQLException {
        throw readOnly();
    }

    public void addBatch() throws SQLException {
        throw readOnly();
    }

    @Override
    public ResultSet executeQuery(String other) throws SQLException {
        throw new SQLException("Cannot run SQL text on a prepared statement: call executeQuery() without text, or "
                + "use createStatement()", "HY000");
    }

    @Override
    public boolean execute(String other) throws SQLException {
        executeQuery(other);
        return true;
    }

    /** Unknown until the statement runs: the warehouse describes a result when it runs it. */
    public ResultSetMetaData getMetaData() {
        return null;
    }

    public void clearParameters() {
        parameters.clear();
    }

    public void setObject(int index, Object value) throws SQLException {
        if (index < 1) {
            throw new SQLException("Cannot set parameter " + index + ": parameters are numbered from 1", "07009");
        }
        while (parameters.size() < index) {
            parameters.add(null);
        }
        parameters.set(index - 1, value);
    }

    public void setObject(int index, Object value, int sqlType) throws SQLException {
        setObject(index, value);
    }

    public void setNull(int index, int sqlType) throws SQLException {
        setObject(index, null);
    }

    public void setNull(int index, int sqlType, String typeName) throws SQLException {
        setObject(index, null);
    }

    public void setString(int index, String value) throws SQLException {
        setObject(index, value);
    }

    public void setBoolean(int index, boolean value) throws SQLException {
        setObject(index, value);
    }

    public void setByte(int index, byte value) throws SQLException {
        setObject(index, value);
    }

    public void setShort(int index, short value) throws SQLException {
        setObject(index, value);
    }

    public void setInt(int index, int value) throws SQLException {
        setObject(index, value);
    }

    public void setLong(int index, long value) throws SQLException {
        setObject(index, value);
    }

    public void setFloat(int index, float value) throws SQLException {
        setObject(index, value);
    }

    public void setDouble(int index, double value) throws SQLException {
        setObject(index, value);
    }

    public void setBigDecimal(int index, BigDecimal value) throws SQLException {
        setObject(index, value);
    }

    public void setDate(int index, java.sql.Date value) throws SQLException {
        setObject(index, value);
    }

    public void setDate(int index, java.sql.Date value, Calendar calendar) throws SQLException {
        setObject(index, value);
    }

    public void setTimestamp(int index, java.sql.Timestamp value) throws SQLException {
        setObject(index, value);
    }

    public void setTimestamp(int index, java.sql.Timestamp value, Calendar calendar) throws SQLException {
        setObject(index, value);
    }

    public void setTime(int index, java.sql.Time value) throws SQLException {
        setObject(index, value);
    }
}
