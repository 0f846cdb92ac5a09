package dev.sluice.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;

/** What the driver's {@link ResultSetMetaData} answers (see {@link JdbcProxy}): names and types of a result. */
final class ResultSetMetaDataTarget {
    private final List<String> columns;
    private final List<SqlType> types;

    private ResultSetMetaDataTarget(List<String> columns, List<SqlType> types) {
        this.columns = columns;
        this.types = types;
    }

    static ResultSetMetaData of(List<String> columns, List<SqlType> types) {
        return JdbcProxy.of(ResultSetMetaData.class, new ResultSetMetaDataTarget(columns, types));
    }

    public int getColumnCount() {
        return columns.size();
    }

    public String getColumnName(int column) throws SQLException {
        return columns.get(index(column));
    }

    public String getColumnLabel(int column) throws SQLException {
        return getColumnName(column);
    }

    public int getColumnType(int column) throws SQLException {
        return type(column).code();
    }

    public String getColumnTypeName(int column) throws SQLException {
        return type(column).name();
    }

    public String getColumnClassName(int column) throws SQLException {
        return type(column).javaClass().getName();
    }

    public int getPrecision(int column) throws SQLException {
        return type(column).precision();
    }

    public int getScale(int column) throws SQLException {
        return type(column).scale();
    }

    public int getColumnDisplaySize(int column) throws SQLException {
        return type(column).displaySize();
    }

    public boolean isSigned(int column) throws SQLException {
        return type(column).signed();
    }

    /** Unknown: the engine reports no nullability of a query's columns. */
    public int isNullable(int column) throws SQLException {
        index(column);
        return ResultSetMetaData.columnNullableUnknown;
    }

    public boolean isAutoIncrement(int column) throws SQLException {
        index(column);
        return false;
    }

    public boolean isCaseSensitive(int column) throws SQLException {
        return type(column).javaClass() == String.class;
    }

    public boolean isSearchable(int column) throws SQLException {
        index(column);
        return true;
    }

    public boolean isCurrency(int column) throws SQLException {
        index(column);
        return false;
    }

    public boolean isReadOnly(int column) throws SQLException {
        index(column);
        return true;
    }

    public boolean isWritable(int column) throws SQLException {
        index(column);
        return false;
    }

    public boolean isDefinitelyWritable(int column) throws SQLException {
        index(column);
        return false;
    }

    public String getSchemaName(int column) throws SQLException {
        index(column);
        return "";
    }

    public String getTableName(int column) throws SQLException {
        index(column);
        return "";
    }

    public String getCatalogName(int column) throws SQLException {
        index(column);
        return "";
    }

    private SqlType type(int column) throws SQLException {
        return types.get(index(column));
    }

    private int index(int column) throws SQLException {
        if (column < 1 || column > columns.size()) {
            throw new SQLException("Cannot describe column " + column + ": the result has columns 1 to "
                    + columns.size(), "42703");
        }
        return column - 1;
    }
}
