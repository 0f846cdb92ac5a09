package dev.sluice.jdbc;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;

/**
 * What the driver's {@link ResultSet}s do (see {@link JdbcProxy}): forward-only, read-only rows of a
 * {@link RowSource}, read as the source produces them. {@code getX(String)} reaches {@code getX(int)} through
 * {@link #findColumn}. Not thread-safe, as JDBC result sets are not.
 */
final class ResultSetTarget {
    private final RowSource source;
    private final Statement statement;
    private final long maxRows;
    private List<Object> row;
    private long rowNumber;
    private boolean closed;
    /** No row is left to read and the source is closed. */
    private boolean exhausted;
    private boolean wasNull;
    private int fetchSize;

    ResultSetTarget(RowSource source, Statement statement, long maxRows) {
        this.source = source;
        this.statement = statement;
        this.maxRows = maxRows;
    }

    static ResultSet of(RowSource source, Statement statement, long maxRows) {
        return JdbcProxy.of(ResultSet.class, new ResultSetTarget(source, statement, maxRows));
    }

    /** A result set of rows in memory (metadata, run results), its types given as engine type names. */
    static ResultSet of(List<String> columns, List<String> types, List<List<Object>> rows) {
        return of(RowSource.of(columns, types, rows), null, 0);
    }

    public boolean next() throws SQLException {
        open();
        if (exhausted) {
            return false;
        }
        if ((maxRows > 0 && rowNumber >= maxRows) || !source.hasNext()) {
            // Released at once, not at close(): an open query holds the warehouse and would block a run.
            release();
            return false;
        }
        row = source.next();
        rowNumber++;
        return true;
    }

    public void close() {
        closed = true;
        release();
    }

    private void release() {
        row = null;
        if (!exhausted) {
            exhausted = true;
            source.close();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    public boolean wasNull() {
        return wasNull;
    }

    public int findColumn(String label) throws SQLException {
        List<String> columns = source.columns();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(label)) {
                return i + 1;
            }
        }
        throw new SQLException("Cannot find column '" + label + "' in the result: its columns are "
                + String.join(", ", columns), "42703");
    }

    public ResultSetMetaData getMetaData() {
        return ResultSetMetaDataTarget.of(source.columns(), source.types());
    }

    public Statement getStatement() {
        return statement;
    }

    public int getType() {
        return ResultSet.TYPE_FORWARD_ONLY;
    }

    public int getConcurrency() {
        return ResultSet.CONCUR_READ_ONLY;
    }

    public int getHoldability() {
        return ResultSet.CLOSE_CURSORS_AT_COMMIT;
    }

    public int getFetchDirection() {
        return ResultSet.FETCH_FORWARD;
    }

    public void setFetchDirection(int direction) throws SQLException {
        if (direction != ResultSet.FETCH_FORWARD) {
            throw new SQLException("Cannot set fetch direction " + direction + ": the result is forward-only");
        }
    }

    public int getFetchSize() {
        return fetchSize;
    }

    public void setFetchSize(int rows) {
        fetchSize = rows;
    }

    /** The current row's number, from 1; 0 before the first row and after the last. */
    public int getRow() {
        return row == null ? 0 : (int) rowNumber;
    }

    public boolean isBeforeFirst() {
        return rowNumber == 0 && !exhausted && source.hasNext();
    }

    public boolean isFirst() {
        return row != null && rowNumber == 1;
    }

    public SQLWarning getWarnings() {
        return null;
    }

    public void clearWarnings() {
        // no warnings are ever produced
    }

    public Object getObject(int column) throws SQLException {
        return Values.jdbc(value(column));
    }

    public <T> T getObject(int column, Class<T> type) throws SQLException {
        return Values.as(value(column), type);
    }

    public String getString(int column) throws SQLException {
        return Values.string(value(column));
    }

    public boolean getBoolean(int column) throws SQLException {
        return Values.bool(value(column));
    }

    public byte getByte(int column) throws SQLException {
        Number number = Values.number(value(column), "getByte");
        return number == null ? 0 : number.byteValue();
    }

    public short getShort(int column) throws SQLException {
        Number number = Values.number(value(column), "getShort");
        return number == null ? 0 : number.shortValue();
    }

    public int getInt(int column) throws SQLException {
        Number number = Values.number(value(column), "getInt");
        return number == null ? 0 : number.intValue();
    }

    public long getLong(int column) throws SQLException {
        Number number = Values.number(value(column), "getLong");
        return number == null ? 0 : number.longValue();
    }

    public float getFloat(int column) throws SQLException {
        Number number = Values.number(value(column), "getFloat");
        return number == null ? 0 : number.floatValue();
    }

    public double getDouble(int column) throws SQLException {
        Number number = Values.number(value(column), "getDouble");
        return number == null ? 0 : number.doubleValue();
    }

    public BigDecimal getBigDecimal(int column) throws SQLException {
        return Values.decimal(value(column));
    }

    public BigDecimal getBigDecimal(int column, int scale) throws SQLException {
        BigDecimal value = getBigDecimal(column);
        return value == null ? null : value.setScale(scale, java.math.RoundingMode.HALF_UP);
    }

    public byte[] getBytes(int column) throws SQLException {
        Object value = value(column);
        return value == null || value instanceof byte[] ? (byte[]) value
                : value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public java.sql.Date getDate(int column) throws SQLException {
        return Values.date(value(column));
    }

    public java.sql.Date getDate(int column, Calendar calendar) throws SQLException {
        return getDate(column);
    }

    public java.sql.Time getTime(int column) throws SQLException {
        return Values.time(value(column));
    }

    public java.sql.Time getTime(int column, Calendar calendar) throws SQLException {
        return getTime(column);
    }

    public java.sql.Timestamp getTimestamp(int column) throws SQLException {
        return Values.timestamp(value(column));
    }

    public java.sql.Timestamp getTimestamp(int column, Calendar calendar) throws SQLException {
        return getTimestamp(column);
    }

    private Object value(int column) throws SQLException {
        open();
        if (row == null) {
            throw new SQLException("Cannot read column " + column + ": the result set is not on a row; call next() "
                    + "first and read while it returns true", "24000");
        }
        if (column < 1 || column > row.size()) {
            throw new SQLException(String.format(Locale.ROOT, "Cannot read column %d: the result has columns 1 to %d",
                    column, row.size()), "42703");
        }
        Object value = row.get(column - 1);
        wasNull = value == null;
        return value;
    }

    private void open() throws SQLException {
        if (closed) {
            throw new SQLException("Cannot read the result set: it is closed", "24000");
        }
    }

    @Override
    public String toString() {
        return "SluiceResultSet" + source.columns();
    }
}
