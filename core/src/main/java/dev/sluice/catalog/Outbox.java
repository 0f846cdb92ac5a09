package dev.sluice.catalog;

import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

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
    private static final ReentrantLock REPLAYING = new ReentrantLock();

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
     * for writing insists on it. Skipped while another thread replays (which may wait for this thread's publish to
     * end), and inside a publish on a warehouse that cannot begin a second transaction in its thread (Spark).
     */
    void replayIfPossible() {
        if (outstanding.get() == 0 || !REPLAYING.tryLock()) {
            return;
        }
        try {
            replayLocked();
        } catch (RuntimeException e) {
            // kept in the warehouse's outbox; Catalog.open(Engine, Outbox) replays them or fails saying why
        } finally {
            REPLAYING.unlock();
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
        REPLAYING.lock();
        try {
            replayLocked();
        } finally {
            REPLAYING.unlock();
        }
    }

    /**
     * The replay, in a warehouse transaction of its own: on a warehouse whose transactions are emulated (Spark: one at
     * a time, each statement committed at once) it waits for a publish in progress, whose outbox rows are not
     * committed yet (and a begin there first rolls back what a killed publish left, its outbox rows with it).
     */
    private void replayLocked() {
        Map<String, Long> replayed = new LinkedHashMap<>();
        try (Session session = warehouse.session()) {
            session.begin();
            try {
                List<List<Object>> rows = session.query("SELECT batch, seq, statement FROM " + TABLE
                        + " ORDER BY batch, seq").values();
                if (rows.isEmpty()) {
                    session.commit();
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
                    String batch = (String) rows.get(from).get(0);
                    long last = replay(batch, rows.subList(from, to));
                    session.execute("DELETE FROM " + TABLE + " WHERE batch = ? AND seq <= ?", batch, last);
                    replayed.put(batch, last);
                    from = to;
                }
                session.commit();
                if (outstanding.addAndGet(-rows.size()) < 0) {
                    outstanding.set(0);
                }
            } catch (RuntimeException e) {
                // the batches replayed so far keep their marks in the catalog: the next replay skips and deletes them
                session.rollback();
                throw e;
            }
        }
        // the batches' writes are gone from the warehouse: their marks are needed no more (a later write of the same
        // batch starts above it, and a crash before this line leaves a mark that only skips what was deleted)
        try (Session session = catalog.session()) {
            replayed.forEach((batch, last) -> session.execute(
                    "DELETE FROM sluice.outbox_batches WHERE batch = ? AND replayed_seq = ?", batch, last));
        }
    }

    /** Sessions still open may commit more: keep looking while any has written. */
    private long pendingSessions() {
        synchronized (sessions) {
            return sessions.values().stream().filter(OutboxSession::wrote).count();
        }
    }

    /** Applies a batch's writes the catalog has not seen, and marks it replayed, in one catalog transaction. */
    private long replay(String batch, List<List<Object>> rows) {
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
        return last;
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
