package dev.sluice.engine;

import java.util.List;
import java.util.Set;

/**
 * An engine's binder, offered to planning: a private, empty, in-memory database of the engine's where sources and
 * models become empty tables of their real types, so that the engine binds every model exactly as it will run,
 * without touching a warehouse. Models are written in DuckDB's SQL whatever engine runs them, so the planner asks the
 * default engine's factory for it ({@link EngineFactory#modelOracle}). Not thread-safe; one per plan.
 */
public interface ModelOracle extends AutoCloseable {

    /** The scratch session: sources are described (created, empty) and models bound on it. */
    Session session();

    /** The functions the engine knows: name, kind and return type, as its catalog lists them. */
    List<Function> functions();

    /**
     * The tables {@code sql} reads, as the engine's own parser reads it ({@code schema.table} or {@code table}, as
     * written; names of common table expressions left out).
     *
     * @throws IllegalArgumentException with the engine's message when it cannot parse {@code sql}
     */
    Set<String> tableReferences(String sql);

    /** The columns (name, engine type) of {@code relation}: a relation name or a parenthesised query. */
    List<Engine.Column> describe(String relation);

    /**
     * Runs {@code description}, which describes a source by creating it empty from a read of its data (a
     * {@code CREATE TABLE ... AS SELECT ... LIMIT 0} over its files), so that the engine reads no more of the data than
     * its types need: binding models needs no optimiser, but without one a {@code LIMIT 0} still scans the files.
     */
    void describingSource(Runnable description);

    /** Whether the scratch database has the table {@code schema.name} (names compared case-insensitively). */
    boolean hasTable(String schema, String name);

    @Override
    void close();

    /** A function of the engine. */
    record Function(String name, String kind, String returnType) {
    }
}
