package dev.sluice;

import dev.sluice.engine.Cursor;
import java.util.Iterator;
import java.util.List;

/**
 * The rows of {@link Sluice#stream}, read one at a time as the warehouse produces them, so a result of any size
 * prints in constant memory. Each row is an unmodifiable list of plain Java values, as in {@link QueryResult}. Close
 * it (try-with-resources): that releases the query and the read-only warehouse. Not thread-safe.
 */
public final class QueryStream implements Iterator<List<Object>>, AutoCloseable {
    private final Cursor cursor;
    private final List<AutoCloseable> resources;

    /** Takes the cursor and what it reads through (session, then engine), closed in that order after it. */
    QueryStream(Cursor cursor, AutoCloseable... resources) {
        this.cursor = cursor;
        this.resources = List.of(resources);
    }

    /** The result's column names. */
    public List<String> columns() {
        return cursor.columns();
    }

    /** The engine's type names of the result's columns ({@code INTEGER}, {@code DECIMAL(18,3)}); empty when unknown. */
    public List<String> types() {
        return cursor.types();
    }

    @Override
    public boolean hasNext() {
        return cursor.hasNext();
    }

    @Override
    public List<Object> next() {
        return cursor.next();
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            cursor.close();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
