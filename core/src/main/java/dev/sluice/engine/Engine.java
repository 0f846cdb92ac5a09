package dev.sluice.engine;

import java.util.List;

/**
 * An execution engine over one warehouse. Thread-safe: each thread opens its own {@link Session}.
 * Closing the engine closes the warehouse; sessions must be closed first.
 */
public interface Engine extends AutoCloseable {
    /** The two ways out of a damaged warehouse, as every refusal of one ends. */
    String DAMAGED_ADVICE = "restore the warehouse file from a backup, or move it aside and run the "
            + "pipeline again (sluice run on its project) to rebuild every table and a new catalog from the sources "
            + "(the run history, quality results and incremental state start afresh)";

    /** A new session (connection) to the warehouse. */
    Session session();

    /** How this engine writes Sluice's intents as SQL. */
    Dialect dialect();

    /** The engine's name and version, for run records ({@code DuckDB v1.2.0}). */
    String version();

    /** Columns (name and engine type text) of the relation {@code schema.name}; empty when it does not exist. */
    List<Column> columns(String schema, String name);

    /** The kind of relation {@code schema.name} is, or {@link RelationKind#NONE}. */
    RelationKind relationKind(String schema, String name);

    /**
     * {@link #columns(String, String)} read in {@code session}, a session of this engine, instead of one opened for
     * it (a connection and its settings less, for callers that hold one); by default, in a session of its own.
     */
    default List<Column> columns(Session session, String schema, String name) {
        return columns(schema, name);
    }

    /** {@link #relationKind(String, String)} read in {@code session}, as {@link #columns(Session, String, String)}. */
    default RelationKind relationKind(Session session, String schema, String name) {
        return relationKind(schema, name);
    }

    /**
     * Bytes of memory the engine holds now (buffers, caches, temporary results), for metrics; -1 when the engine
     * cannot tell.
     */
    default long memoryBytes() {
        return -1;
    }

    /**
     * Models a run builds at once when neither the run nor the project says ({@code threads: 0}): one per core, for an
     * engine whose statement runs on one core or waits on others (a cluster). An engine that runs each statement on
     * every core of the machine itself says 1: two builds at once would share the same cores (no faster: slower, as
     * their scans and hash tables compete for the caches) and hold their memory together.
     */
    default int buildsAtOnce() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    void close();

    /** A column of a relation. */
    record Column(String name, String type) {
    }

    /** What a name refers to in the warehouse. */
    enum RelationKind { TABLE, VIEW, NONE }
}
