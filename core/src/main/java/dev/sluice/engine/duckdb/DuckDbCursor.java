package dev.sluice.engine.duckdb;

import dev.sluice.engine.Cursor;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/** A cursor over a DuckDB result set, which the driver streams chunk by chunk (jdbc_stream_results, its default). */
final class DuckDbCursor implements Cursor {
    private final PreparedStatement statement;
    private final ResultSet result;
    private final List<String> columns;
    private final List<String> types;
    /** Whether {@link #result} stands on a row not yet returned; null when not looked yet. */
    private Boolean ahead;

    DuckDbCursor(PreparedStatement statement) throws SQLException {
        this.statement = statement;
        this.result = statement.executeQuery();
        ResultSetMetaData meta = result.getMetaData();
        List<String> names = new ArrayList<>();
        List<String> typeNames = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            names.add(meta.getColumnLabel(i));
            typeNames.add(meta.getColumnTypeName(i));
        }
        this.columns = List.copyOf(names);
        this.types = List.copyOf(typeNames);
    }

    @Override
    public List<String> types() {
        return types;
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public boolean hasNext() {
        if (ahead == null) {
            try {
                ahead = result.next();
            } catch (SQLException e) {
                throw DuckDbSession.error(e);
            }
        }
        return ahead;
    }

    @Override
    public List<Object> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the cursor has no more rows");
        }
        ahead = null;
        try {
            List<Object> row = new ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
                row.add(DuckDbSession.plainValue(result.getObject(i)));
            }
            return java.util.Collections.unmodifiableList(row);
        } catch (SQLException e) {
            throw DuckDbSession.error(e);
        }
    }

    @Override
    public void close() {
        try (statement) {
            result.close();
        } catch (SQLException e) {
            throw DuckDbSession.error(e);
        }
    }
}
