package dev.sluice.catalog;

import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The catalog writes of a publish when the catalog is not in the warehouse: written into the warehouse table
 * {@value #TABLE} in the data's own transaction (so they commit with the data or not at all), then replayed into the
 * catalog after the commit, and on the next open after a crash or a catalog failure in between. The data commits
 * first, the catalog follows, and nothing is lost or applied twice: each batch (the writes of one warehouse session)
 * records in the catalog how far it was replayed, in the transaction that replays it. Thread-safe.
 */
final class Outbox {
    /** Where the pending catalog writes wait, in the warehouse. */
    static final String TABLE = "sluice_outbox.pending";
    /** One replay at a time in this JVM: two would both find a batch not yet replayed. */
    private static final Object REPLAYING = new Object();

    private final Engine warehouse;
    private final Engine catalog;
    /** Writes handed to the warehouse and not yet seen replayed (some may have been rolled back with their data). */
    private final AtomicLong outstanding;
    private final Map<Session, OutboxSession> sessions = new WeakHashMap<>();

    private Outbox(Engine warehouse, Engine catalog, boolean pending) {
        this.warehouse = warehouse;
        this.catalog = catalog;
        this.outstanding = new AtomicLong(pending ? 1 : 0);
    }

    /** The outbox of {@code warehouse} for {@code catalog}, its table created when missing. */
    static Outbox create(Engine warehouse, Engine catalog) {
        try (Session session = warehouse.session()) {
            // (batch, seq) is unique by construction (a UUID per session and its counter): no key, which a warehouse
            // without constraints (Spark's Iceberg tables) refuses
            session.execute("CREATE SCHEMA IF NOT EXISTS sluice_outbox");
            session.execute("CREATE TABLE IF NOT EXISTS " + TABLE
                    + " (batch VARCHAR NOT NULL, seq BIGINT NOT NULL, statement VARCHAR NOT NULL)");
        }
        return new Outbox(warehouse, catalog, true);
    }

    /**
     * The store with every warehouse session passed to it turned into one that writes to this outbox, and every
     * other call preceded by a replay of what is pending (so reads see the writes of committed publishes).
     */
    <T> T wrap(Class<T> type, T store) {
        InvocationHandler handler = (proxy, method, arguments) -> {
            boolean writes = false;
            Object[] passed = arguments == null ? new Object[0] : arguments.clone();
            for (int i = 0; i < passed.length; i++) {
                if (passed[i] instanceof Session session && !(session instanceof PostgresCatalogSession)) {
                    passed[i] = session(session);
                    writes = true;
                }
            }
            if (!writes) {
                replayIfPossible();
            }
            try {
                return method.invoke(store, passed);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    /**
     * {@link #replay()}, leaving the writes in the warehouse when the catalog refuses them: the command goes on (its
     * data is committed), reads of the catalog are behind until a replay succeeds, and the next open of the catalog
     * for writing insists on it.
     */
    void replayIfPossible() {
        try {
            replay();
        } catch (RuntimeException e) {
            // kept in the warehouse's outbox; Catalog.open(Engine, Outbox) replays them or fails saying why
        }
    }

    /** The outbox session over a warehouse session: one batch per warehouse session. */
    OutboxSession session(Session warehouseSession) {
        synchronized (sessions) {
            return sessions.computeIfAbsent(warehouseSession, session -> new OutboxSession(this, session));
        }
    }

    /** Counts a write handed to the warehouse. */
    void written() {
        outstanding.incrementAndGet();
    }

    /** The catalog, for reads of a publish's session. */
    Engine catalog() {
        return catalog;
    }

    /**
     * Replays into the catalog every committed write waiting in the warehouse, batch by batch, and removes them
     * there. Does nothing when none was written since the last replay found the outbox empty.
     */
    void replay() {
        if (outstanding.get() == 0) {
            return;
        }
        synchronized (REPLAYING) {
            List<List<Object>> rows;
            try (Session session = warehouse.session()) {
                rows = session.query("SELECT batch, seq, statement FROM " + TABLE + " ORDER BY batch, seq").values();
            }
            if (rows.isEmpty()) {
                // what is still outstanding was rolled back with its data, or is not committed yet
                outstanding.set(pendingSessions());
                return;
            }
            int from = 0;
            while (from < rows.size()) {
                int to = from;
                while (to < rows.size() && rows.get(to).get(0).equals(rows.get(from).get(0))) {
                    to++;
                }
                replay((String) rows.get(from).get(0), rows.subList(from, to));
                outstanding.addAndGet(-(to - from));
                from = to;
            }
            if (outstanding.get() < 0) {
                outstanding.set(0);
            }
        }
    }

    /** Sessions still open may commit more: keep looking while any has written. */
    private long pendingSessions() {
        synchronized (sessions) {
            return sessions.values().stream().filter(OutboxSession::wrote).count();
        }
    }

    private void replay(String batch, List<List<Object>> rows) {
        long last = ((Number) rows.get(rows.size() - 1).get(1)).longValue();
        try (Session session = catalog.session()) {
            session.begin();
            try {
                if (catalog instanceof PostgresCatalogEngine) {
                    // another machine may be replaying the same batch; a DuckDB file has one writing process
                    session.execute("SELECT pg_advisory_xact_lock(hashtext(?))", batch);
                }
                Object replayed = session.query("SELECT replayed_seq FROM sluice.outbox_batches WHERE batch = ?",
                        batch).values().stream().findFirst().map(row -> row.get(0)).orElse(null);
                long done = replayed == null ? 0 : ((Number) replayed).longValue();
                for (List<Object> row : rows) {
                    if (((Number) row.get(1)).longValue() > done) {
                        session.execute((String) row.get(2));
                    }
                }
                session.execute("INSERT OR REPLACE INTO sluice.outbox_batches VALUES (?, ?, ?)", batch, last,
                        java.time.LocalDateTime.now());
                session.commit();
            } catch (RuntimeException e) {
                session.rollback();
                throw e;
            }
        }
        try (Session session = warehouse.session()) {
            // in a transaction of its own: on a warehouse whose rollback puts tables back as they were at its begin
            // (Spark), no other session's transaction spans this delete
            session.begin();
            session.execute("DELETE FROM " + TABLE + " WHERE batch = ? AND seq <= ?", batch, last);
            session.commit();
        }
        // the batch's writes are gone from the warehouse: its mark is needed no more (a later write of the same
        // batch starts above it, and a crash before this line leaves a mark that only skips what was deleted)
        try (Session session = catalog.session()) {
            session.execute("DELETE FROM sluice.outbox_batches WHERE batch = ? AND replayed_seq = ?", batch, last);
        }
    }

    /** Statements in the order of their session, for tests. */
    static List<String> pending(Engine warehouse) {
        List<String> statements = new ArrayList<>();
        try (Session session = warehouse.session()) {
            session.query("SELECT statement FROM " + TABLE + " ORDER BY batch, seq").values()
                    .forEach(row -> statements.add((String) row.get(0)));
        }
        return statements;
    }
}
