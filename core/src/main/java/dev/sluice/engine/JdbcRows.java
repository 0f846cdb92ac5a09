package dev.sluice.engine;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads a JDBC result whole into {@link Rows}: the one reader of sessions that sit on a JDBC driver. */
public final class JdbcRows {
    private JdbcRows() {
    }

    /** Turns one driver value into the plain Java value callers see. */
    @FunctionalInterface
    public interface Plain {
        Object of(Object value) throws SQLException;
    }

    /** Every row of {@code result}, each value through {@code plain}, with the columns' labels. */
    public static Rows read(ResultSet result, Plain plain) throws SQLException {
        ResultSetMetaData meta = result.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(meta.getColumnLabel(i));
        }
        List<List<Object>> values = new ArrayList<>();
        while (result.next()) {
            List<Object> row = new ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
                row.add(plain.of(result.getObject(i)));
            }
            values.add(row);
        }
        return new Rows(columns, values);
    }
}
