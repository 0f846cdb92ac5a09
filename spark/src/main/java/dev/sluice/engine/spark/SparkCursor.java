package dev.sluice.engine.spark;

import dev.sluice.engine.Cursor;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;

/** Rows of a Spark query read partition by partition ({@code toLocalIterator}): only one partition is held at once. */
final class SparkCursor implements Cursor {
    private final List<String> columns;
    private final List<String> types;
    private final Iterator<List<Object>> rows;

    SparkCursor(List<String> columns, List<String> types, Iterator<List<Object>> rows) {
        this.columns = List.copyOf(columns);
        this.types = List.copyOf(types);
        this.rows = rows;
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public List<String> types() {
        return types;
    }

    @Override
    public boolean hasNext() {
        try {
            return rows.hasNext();
        } catch (Exception e) {
            throw SparkFailures.failure(e, "reading a query's rows");
        }
    }

    @Override
    public List<Object> next() {
        return rows.next();
    }

    @Override
    public void close() {
        // toLocalIterator holds no more than the partition being read; it is released with the iterator
    }

    /** Spark's rows as plain values. */
    record Converting(Iterator<Row> rows) implements Iterator<List<Object>> {
        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public List<Object> next() {
            return SparkTypes.plain(rows.next());
        }
    }
}
