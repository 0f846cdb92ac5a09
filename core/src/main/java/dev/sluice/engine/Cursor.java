package dev.sluice.engine;

import java.util.Iterator;
import java.util.List;

/**
 * The rows of a query read one at a time as the engine produces them, so a result never has to fit in memory:
 * each row is a list of plain Java values as in {@link Rows}. Close it (try-with-resources) to release the query;
 * the session must not run another statement until then. Not thread-safe.
 */
public interface Cursor extends Iterator<List<Object>>, AutoCloseable {

    /** The result's column names, known before the first row is read. */
    List<String> columns();

    /** The engine's type names of the result's columns, as {@link Description#types()}; empty when unknown. */
    default List<String> types() {
        return List.of();
    }

    @Override
    void close();
}
