package dev.sluice.catalog;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Session;
import dev.sluice.project.CatalogSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The run lock of a project whose catalog is in PostgreSQL, across machines: a row of {@code sluice.run_locks} in
 * the project's schema naming the holder (host, pid, command, run), kept alive by a heartbeat. A holder whose
 * heartbeat is older than the timeout is stale (its machine or process died, or lost the database) and is taken
 * over, and so at once is a holder on the same machine whose process is gone; projects have schemas of their own, so different projects never wait for each other. Thread-safe.
 */
public final class CatalogRunLock implements AutoCloseable {
    /** How long a holder may go without a heartbeat before another machine takes the lock over. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String LOCK = "run";

    private final PostgresCatalogEngine catalog;
    private final String token;
    private final String previousHolder;
    private final ScheduledExecutorService heartbeat;
    private final Duration timeout;
    private volatile boolean lost;
    /** System.nanoTime() of the last heartbeat the catalog confirmed (the acquisition counts as one). */
    private volatile long confirmedAt = System.nanoTime();

    private CatalogRunLock(PostgresCatalogEngine catalog, String token, String previousHolder, Duration timeout,
            Duration beatEvery) {
        this.catalog = catalog;
        this.timeout = timeout;
        this.token = token;
        this.previousHolder = previousHolder;
        if (beatEvery == null) {
            this.heartbeat = null;
        } else {
            this.heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "sluice-catalog-heartbeat");
                thread.setDaemon(true);
                return thread;
            });
            heartbeat.scheduleAtFixedRate(this::beatQuietly, beatEvery.toMillis(), beatEvery.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Takes the run lock of the project's catalog, or empty when its catalog is in the warehouse (the warehouse's
     * own lock covers it). Fails with WAREHOUSE_LOCKED naming the holder while a live one holds it; never waits.
     */
    public static Optional<CatalogRunLock> acquire(CatalogSpec spec, String command, String host, long pid) {
        return switch (spec.kind()) {
            // a DuckDB file is locked by its one writing process, beside the warehouse's lock file
            case WAREHOUSE, DUCKDB -> Optional.empty();
            case POSTGRES -> Optional.of(acquire(Catalogs.postgres(spec), command, host, pid, TIMEOUT,
                    TIMEOUT.dividedBy(6)));
        };
    }

    /** Takes the lock with the given timeout; {@code beatEvery} null for no heartbeat thread (tests beat by hand). */
    static CatalogRunLock acquire(PostgresCatalogEngine catalog, String command, String host, long pid,
            Duration timeout, Duration beatEvery) {
        Catalog.migrate(catalog);
        String token = UUID.randomUUID().toString();
        String previous = null;
        try (Session session = catalog.session()) {
            session.begin();
            try {
                // one acquirer at a time per project: the row may not exist yet to be locked
                session.execute("SELECT pg_advisory_xact_lock(hashtext(?))", catalog.schema() + ".run_locks");
                List<List<Object>> rows = session.query("SELECT host, pid, command, run_id, acquired_at, "
                        + "heartbeat_at, heartbeat_at < (now() AT TIME ZONE 'UTC') - CAST(? AS INTERVAL) "
                        + "FROM sluice.run_locks WHERE lock_name = ?", timeout.toSeconds() + " seconds", LOCK).values();
                if (!rows.isEmpty()) {
                    List<Object> row = rows.get(0);
                    String holder = holder(row);
                    // a holder on this machine whose process is gone is stale at once, not after its timeout
                    boolean gone = host.equals(row.get(0))
                            && ProcessHandle.of(((Number) row.get(1)).longValue()).isEmpty();
                    if (!gone && !Boolean.TRUE.equals(row.get(6))) {
                        throw new SluiceException(ErrorCode.WAREHOUSE_LOCKED, "Cannot %s: the project's catalog %s "
                                + "is in use by %s; wait for it to finish, or stop it (a holder that stops its "
                                + "heartbeat for %d s is taken over)", command, catalog.spec(), holder,
                                timeout.toSeconds());
                    }
                    previous = holder;
                }
                session.execute("INSERT OR REPLACE INTO sluice.run_locks (lock_name, host, pid, command, run_id, token, "
                        + "acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, NULL, ?, now() AT TIME ZONE 'UTC', "
                        + "now() AT TIME ZONE 'UTC')", LOCK, host, pid, command, token);
                session.commit();
            } catch (RuntimeException e) {
                session.rollback();
                throw e;
            }
        }
        return new CatalogRunLock(catalog, token, previous, timeout, beatEvery);
    }

    private static String holder(List<Object> row) {
        return "pid " + row.get(1) + " on host " + row.get(0) + " (" + row.get(2)
                + (row.get(3) == null ? "" : " run " + row.get(3)) + ", since " + row.get(4) + " UTC, last heartbeat "
                + row.get(5) + " UTC)";
    }

    /** The holder this lock took over from (its heartbeat had stopped), or null. */
    public String takenOverFrom() {
        return previousHolder;
    }

    /** Names the run the holder is running, for whoever finds the lock held. */
    public void running(long runId) {
        try (Session session = catalog.session()) {
            session.execute("UPDATE sluice.run_locks SET run_id = ? WHERE lock_name = ? AND token = ?", runId, LOCK,
                    token);
        }
    }

    /** Moves the heartbeat on; false when the lock is no longer this holder's (it was taken over as stale). */
    boolean beat() {
        try (Session session = catalog.session()) {
            boolean held = session.query("UPDATE sluice.run_locks SET heartbeat_at = now() AT TIME ZONE 'UTC' "
                    + "WHERE lock_name = ? AND token = ? RETURNING 1", LOCK, token).size() == 1;
            lost |= !held;
            if (held) {
                confirmedAt = System.nanoTime();
            }
            return held;
        }
    }

    private void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException e) {
            // the database is unreachable for now: the next beat tries again, and a holder that stays away that
            // long is taken over, as it should be
        }
    }

    /**
     * Fails unless this holder still holds the lock, for a write about to commit: a holder taken over as stale (its
     * heartbeat stopped, e.g. a long pause or a lost network) must not publish beside its successor. The heartbeat is
     * moved on here, so the lock is this holder's for a whole timeout after the check; when the catalog cannot be
     * reached, a heartbeat confirmed within half the timeout still vouches for it.
     */
    public void ensureHeld(String action) {
        boolean held;
        try {
            held = !lost && beat();
        } catch (RuntimeException e) {
            if (System.nanoTime() - confirmedAt < timeout.toNanos() / 2) {
                return;
            }
            throw new SluiceException(ErrorCode.WAREHOUSE_LOCKED, e, "Cannot %s: the project's run lock in catalog %s "
                    + "cannot be confirmed (its last heartbeat is over %d s old and the catalog does not answer: %s); "
                    + "nothing of it is published; run again once the catalog answers", action, catalog.spec(),
                    timeout.toSeconds() / 2, e.getMessage());
        }
        if (!held) {
            throw new SluiceException(ErrorCode.WAREHOUSE_LOCKED, "Cannot %s: the project's run lock in catalog %s was "
                    + "taken over by another holder (this run's heartbeat had stopped for over %d s); nothing of it "
                    + "is published; run again once the other holder has finished", action, catalog.spec(),
                    timeout.toSeconds());
        }
    }

    /** True once a heartbeat found the lock taken over by another holder. */
    public boolean lost() {
        return lost;
    }

    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        try (Session session = catalog.session()) {
            session.execute("DELETE FROM sluice.run_locks WHERE lock_name = ? AND token = ?", LOCK, token);
        }
    }
}
