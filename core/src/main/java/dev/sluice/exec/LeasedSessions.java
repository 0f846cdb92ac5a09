package dev.sluice.exec;

import dev.sluice.engine.Appender;
import dev.sluice.engine.Cursor;
import dev.sluice.engine.Description;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Engine;
import dev.sluice.engine.ForwardingEngine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import java.util.function.Consumer;

/**
 * An engine whose sessions check a lease before every commit: the project's run lock across machines, so that a run
 * whose lock was taken over (its heartbeat stopped long enough for another machine to take it) rolls back instead of
 * publishing beside the new holder. Thread-safe as the engine it wraps.
 */
final class LeasedSessions extends ForwardingEngine {
    private final Consumer<String> lease;

    /** {@code lease} throws, naming the action, when the lease is no longer held. */
    LeasedSessions(Engine engine, Consumer<String> lease) {
        super(engine);
        this.lease = lease;
    }

    @Override
    public Session session() {
        return new Leased(delegate().session(), lease);
    }

    private record Leased(Session session, Consumer<String> lease) implements Session {
        @Override
        public Dialect dialect() {
            return session.dialect();
        }

        @Override
        public void execute(String sql, Object... parameters) {
            session.execute(sql, parameters);
        }

        @Override
        public Rows query(String sql, Object... parameters) {
            return session.query(sql, parameters);
        }

        @Override
        public Cursor stream(String sql, Object... parameters) {
            return session.stream(sql, parameters);
        }

        @Override
        public Description describe(String sql) {
            return session.describe(sql);
        }

        @Override
        public Appender appender(String schema, String table) {
            return session.appender(schema, table);
        }

        @Override
        public void begin() {
            session.begin();
        }

        @Override
        public void commit() {
            try {
                lease.accept("commit");
            } catch (RuntimeException e) {
                session.rollback();
                throw e;
            }
            session.commit();
        }

        @Override
        public void rollback() {
            session.rollback();
        }

        @Override
        public void close() {
            session.close();
        }
    }
}
