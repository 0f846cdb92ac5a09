package dev.sluice.jdbc;

import dev.sluice.QueryStream;
import java.util.Iterator;
import java.util.List;

/**
 * The rows behind a result set: column names, their types, and rows of plain Java values read once, in order.
 * Closing releases what produces them (a query on the warehouse or on a server). Not thread-safe.
 */
interface RowSource extends Iterator<List<Object>>, AutoCloseable {
    List<String> columns();

    List<SqlType> types();

    @Override
    void close();

    /** Rows already in memory (metadata, run results); {@code types} are engine type names, one per column. */
    static RowSource of(List<String> columns, List<String> types, List<List<Object>> rows) {
        List<SqlType> sqlTypes = types.stream().map(SqlType::of).toList();
        Iterator<List<Object>> iterator = rows.iterator();
        return new RowSource() {
            @Override
            public List<String> columns() {
                return columns;
            }

            @Override
            public List<SqlType> types() {
                return sqlTypes;
            }

            @Override
            public boolean hasNext() {
                return iterator.hasNext();
            }

            @Override
            public List<Object> next() {
                return iterator.next();
            }

            @Override
            public void close() {
                // nothing held
            }
        };
    }

    /** The rows of a query on the warehouse, as {@link dev.sluice.Sluice#stream} reads them. */
    static RowSource of(QueryStream stream) {
        List<String> names = stream.types();
        int count = stream.columns().size();
        List<SqlType> sqlTypes = java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> SqlType.of(names.size() == count ? names.get(i) : null)).toList();
        return new RowSource() {
            @Override
            public List<String> columns() {
                return stream.columns();
            }

            @Override
            public List<SqlType> types() {
                return sqlTypes;
            }

            @Override
            public boolean hasNext() {
                return stream.hasNext();
            }

            @Override
            public List<Object> next() {
                return stream.next();
            }

            @Override
            public void close() {
                stream.close();
            }
        };
    }
}
