package dev.sluice.engine;

import java.util.List;

/**
 * An engine that hands every call to another, for wrappers that change one or two of them (sessions prepared with
 * the project's secrets, an engine lent by its host that closing must not close). A method added to {@link Engine}
 * is forwarded here once, instead of being silently left at its default by each wrapper.
 */
public abstract class ForwardingEngine implements Engine {
    private final Engine engine;

    protected ForwardingEngine(Engine engine) {
        this.engine = engine;
    }

    /** The engine calls are handed to. */
    protected final Engine delegate() {
        return engine;
    }

    @Override
    public Session session() {
        return engine.session();
    }

    @Override
    public Dialect dialect() {
        return engine.dialect();
    }

    @Override
    public String version() {
        return engine.version();
    }

    @Override
    public List<Column> columns(String schema, String name) {
        return engine.columns(schema, name);
    }

    @Override
    public RelationKind relationKind(String schema, String name) {
        return engine.relationKind(schema, name);
    }

    @Override
    public List<Column> columns(Session session, String schema, String name) {
        return engine.columns(session, schema, name);
    }

    @Override
    public RelationKind relationKind(Session session, String schema, String name) {
        return engine.relationKind(session, schema, name);
    }

    @Override
    public long memoryBytes() {
        return engine.memoryBytes();
    }

    @Override
    public int buildsAtOnce() {
        return engine.buildsAtOnce();
    }

    @Override
    public void close() {
        engine.close();
    }
}
