package dev.sluice.catalog;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.StartupPhases;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata store: tables in schema {@code sluice} of the warehouse. Opens and migrates them, and hands out one
 * store per concern (runs, quality, source state, lineage, windows, storage), each behind an interface so that
 * another catalog can implement the same. Thread-safe; writes that belong to a model's publish take the caller's
 * session so they commit in the caller's transaction.
 */
public final class Catalog {
    /** The catalog version that added {@code schema_version.checksum}. */
    private static final int CHECKSUMS_SINCE = 11;
    private final Engine engine;
    private final List<Long> closedRuns;
    private final RunStore runs;
    private final QualityStore quality;
    private final SourceStateStore state;
    private final LineageStore lineage;
    private final WindowStore windows;
    private final StorageStore storage;
    private final ScheduleStore schedules;
    private final PlanCacheStore planCache;
    /** Where a publish's records wait when the catalog is not in the warehouse; null when it is. */
    private final Outbox outbox;

    private Catalog(Engine engine, List<Long> closedRuns, Outbox outbox) {
        this.engine = engine;
        this.outbox = outbox;
        this.closedRuns = List.copyOf(closedRuns);
        this.runs = stored(outbox, RunStore.class, new DuckDbRunStore(engine));
        this.quality = stored(outbox, QualityStore.class, new DuckDbQualityStore(engine));
        this.state = stored(outbox, SourceStateStore.class, new DuckDbSourceStateStore(engine));
        this.lineage = stored(outbox, LineageStore.class, new DuckDbLineageStore(engine));
        this.windows = stored(outbox, WindowStore.class, new DuckDbWindowStore(engine));
        this.storage = stored(outbox, StorageStore.class, new DuckDbStorageStore(engine));
        this.schedules = stored(outbox, ScheduleStore.class, new DuckDbScheduleStore(engine));
        this.planCache = stored(outbox, PlanCacheStore.class, new DuckDbPlanCacheStore(engine));
    }

    /**
     * After a publish committed, outside any transaction of the calling thread: copies its records from the
     * warehouse's outbox into the catalog, waiting for a copy in progress, so that what reads the catalog next (the
     * models that read the one just published) finds them. Best effort: a catalog that refuses them now gets them from
     * a later copy (see {@link Outbox}). Does nothing when the catalog is in the warehouse.
     */
    public void catchUp() {
        if (outbox != null) {
            try {
                outbox.replay();
            } catch (RuntimeException e) {
                // kept in the warehouse's outbox: a later read or the next open copies them
            }
        }
    }

    /** The store, writing a publish's records through the outbox when the catalog is not in the warehouse. */
    private static <T> T stored(Outbox outbox, Class<T> type, T store) {
        return outbox == null ? store : outbox.wrap(type, store);
    }

    /**
     * Opens the catalog for writing, applying every migration it lacks, and marks the runs a dead process left
     * {@code running} as {@code killed}; call while holding the warehouse lock (every run still running then belongs
     * to a process that is gone). Refuses a damaged catalog or one written by a newer Sluice.
     */
    public static Catalog open(Engine engine) {
        return open(engine, Migrations.load());
    }

    /** {@link #open(Engine)} with the given migrations (a test's edited ones). */
    static Catalog open(Engine engine, List<Migrations.Migration> migrations) {
        return open(engine, migrations, null);
    }

    /**
     * {@link #open(Engine)} of a catalog that is not in the warehouse: the outbox's pending writes (those of a run that
     * died or lost the catalog after its data committed) are replayed first.
     */
    static Catalog open(Engine engine, Outbox outbox) {
        Catalog catalog = open(engine, Migrations.load(), outbox);
        try {
            outbox.replay();
        } catch (RuntimeException e) {
            throw new SluiceException(ErrorCode.RUN_FAILED, e, "Cannot open the catalog in %s: the records of a "
                    + "publish whose data committed in the warehouse cannot be written to it: %s; fix the catalog "
                    + "database and run again (the records wait in the warehouse's %s until they are written)",
                    engine instanceof PostgresCatalogEngine postgres ? postgres.spec() : "its DuckDB file",
                    e.getMessage(), Outbox.TABLE);
        }
        return catalog;
    }

    private static Catalog open(Engine engine, List<Migrations.Migration> migrations, Outbox outbox) {
        migrate(engine, migrations);
        try (Session session = engine.session()) {
            return new Catalog(engine, closeInterruptedRuns(session), outbox);
        }
    }

    /** Applies every migration the catalog lacks; a PostgreSQL catalog is migrated by one machine at a time. */
    static void migrate(Engine engine) {
        migrate(engine, Migrations.load());
    }

    private static void migrate(Engine engine, List<Migrations.Migration> migrations) {
        try (Session session = engine.session()) {
            if (!(session instanceof PostgresCatalogSession postgres)) {
                migrate(session, migrations);
                return;
            }
            String lock = postgres.engine().schema() + ".migrations";
            session.execute("SELECT pg_advisory_lock(hashtext(?))", lock);
            try {
                migrate(session, migrations);
            } finally {
                session.execute("SELECT pg_advisory_unlock(hashtext(?))", lock);
            }
        }
    }

    private static void migrate(Session session, List<Migrations.Migration> migrations) {
        CatalogState state = CatalogState.read(session);
        state.requireUsable(migrations, session);
        Map<Integer, String> checksums = checksums(session, state);
        requireUnchanged(state, migrations, checksums);
        if (state.absent() && !(session instanceof PostgresCatalogSession)) {
            create(session, migrations);
            return;
        }
        if (state.absent()) {
            createVersionTable(session);
        }
        // Every missing version, not only those above the highest: versions are reserved per feature and may
        // be released out of order (a catalog at V7 still gets V5 when it ships).
        for (Migrations.Migration migration : migrations) {
            if (!state.versions().contains(migration.version())) {
                apply(session, migration);
            }
        }
        // A current catalog (every version applied, each with its checksum) needs no write here.
        if (!checksums.keySet().containsAll(migrations.stream().map(Migrations.Migration::version).toList())) {
            recordChecksums(session, migrations);
        }
    }

    private static void createVersionTable(Session session) {
        session.execute("CREATE SCHEMA IF NOT EXISTS sluice");
        session.execute("CREATE TABLE IF NOT EXISTS sluice.schema_version ("
                + "version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, installed_at TIMESTAMP NOT NULL)");
    }

    /**
     * A new catalog in the warehouse: every migration, its version row and its checksum in one transaction, so one
     * commit (and one sync of DuckDB's log) where a migration at a time took two per version: most of a first run's
     * catalog time. A failure leaves no catalog at all: the next open starts again from none.
     */
    private static void create(Session session, List<Migrations.Migration> migrations) {
        session.begin();
        Migrations.Migration applying = null;
        try {
            createVersionTable(session);
            for (Migrations.Migration migration : migrations) {
                applying = migration;
                session.execute(migration.sql());
            }
            applying = null;
            // the rows after every migration: V11 adds the checksum column to the version table
            LocalDateTime now = LocalDateTime.now();
            for (Migrations.Migration migration : migrations) {
                session.execute("INSERT INTO sluice.schema_version (version, description, installed_at) VALUES "
                        + "(?, ?, ?)", migration.version(), migration.description(), now);
            }
            if (migrations.stream().anyMatch(migration -> migration.version() == CHECKSUMS_SINCE)) {
                recordChecksums(session, migrations);
            }
            session.commit();
        } catch (RuntimeException e) {
            session.rollback();
            if (applying == null) {
                throw e;
            }
            throw new SluiceException(ErrorCode.INTERNAL, e, "Cannot apply catalog migration V%d (%s): %s",
                    applying.version(), applying.description(), e.getMessage());
        }
    }

    /**
     * Opens a catalog for reading without migrating it (for read-only warehouses); fails when it is missing, damaged
     * or too new.
     */
    public static Catalog openExisting(Engine engine) {
        return openIfPresent(engine).orElseThrow(() -> new SluiceException(ErrorCode.USAGE,
                "Cannot read the catalog: the warehouse has none yet; run the pipeline first (sluice run DIR)"));
    }

    /**
     * Opens a catalog for reading without migrating it, or empty when the warehouse has none yet; fails when it is
     * damaged or too new.
     */
    public static Optional<Catalog> openIfPresent(Engine engine) {
        return openIfPresent(engine, null);
    }

    /** {@link #openIfPresent(Engine)}, writing through {@code outbox} when it is not null. */
    static Optional<Catalog> openIfPresent(Engine engine, Outbox outbox) {
        StartupPhases.mark("command");
        try (Session session = engine.session()) {
            CatalogState state = CatalogState.read(session);
            List<Migrations.Migration> migrations = Migrations.load();
            state.requireUsable(migrations, session);
            requireUnchanged(state, migrations, checksums(session, state));
            Optional<Catalog> catalog = state.absent() ? Optional.empty()
                    : Optional.of(new Catalog(engine, List.of(), outbox));
            StartupPhases.mark("catalog");
            return catalog;
        }
    }

    private static int installedVersion(Session session) {
        Object version = session.query("SELECT max(version) FROM sluice.schema_version").single();
        return version == null ? 0 : ((Number) version).intValue();
    }

    private static void apply(Session session, Migrations.Migration migration) {
        session.begin();
        try {
            if (session instanceof PostgresCatalogSession postgres) {
                postgres.migrate(migration.sql());
            } else {
                session.execute(migration.sql());
            }
            session.execute("INSERT INTO sluice.schema_version (version, description, installed_at) VALUES (?, ?, ?)",
                    migration.version(), migration.description(), LocalDateTime.now());
            session.commit();
        } catch (RuntimeException e) {
            session.rollback();
            throw new SluiceException(ErrorCode.INTERNAL, e, "Cannot apply catalog migration V%d (%s): %s",
                    migration.version(), migration.description(), e.getMessage());
        }
    }

    /**
     * The checksum recorded for each applied version (catalogs before V11, and versions applied before V11 added the
     * column, have none until {@link #recordChecksums} fills them in).
     */
    private static Map<Integer, String> checksums(Session session, CatalogState state) {
        Map<Integer, String> checksums = new HashMap<>();
        if (!state.versions().contains(CHECKSUMS_SINCE)) {
            return checksums;
        }
        for (List<Object> row : session.query("SELECT version, checksum FROM sluice.schema_version "
                + "WHERE checksum IS NOT NULL").values()) {
            checksums.put(((Number) row.get(0)).intValue(), (String) row.get(1));
        }
        return checksums;
    }

    /**
     * Refuses a catalog one of whose applied migrations was edited since: the catalog was built by the text it
     * recorded, and an edited text would never be applied to it (another warehouse would get a different catalog).
     */
    private static void requireUnchanged(CatalogState state, List<Migrations.Migration> migrations,
            Map<Integer, String> checksums) {
        for (Migrations.Migration migration : migrations) {
            String recorded = checksums.get(migration.version());
            if (recorded != null && !recorded.equals(migration.checksum())) {
                throw new SluiceException(ErrorCode.INTERNAL, "Cannot open the catalog of warehouse %s: catalog "
                        + "migration V%d (%s) was edited after it was applied to this warehouse (checksum %s when "
                        + "applied, %s now); restore %s as it was and put the change in a new migration",
                        state.file(), migration.version(), migration.description(), abbreviated(recorded),
                        abbreviated(migration.checksum()), migration.file());
            }
        }
    }

    private static String abbreviated(String checksum) {
        return checksum.substring(0, Math.min(12, checksum.length()));
    }

    /** Records the checksum of every applied version that has none (all of them, on a catalog older than V11). */
    private static void recordChecksums(Session session, List<Migrations.Migration> migrations) {
        for (Migrations.Migration migration : migrations) {
            session.execute("UPDATE sluice.schema_version SET checksum = ? WHERE version = ? AND checksum IS NULL",
                    migration.checksum(), migration.version());
        }
    }

    /** True when the catalog holds table {@code name} of schema {@code sluice}, wherever the catalog is kept. */
    public boolean hasTable(String name) {
        try (Session session = engine.session()) {
            return CatalogState.read(session).tables().contains(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** The installed catalog schema version. */
    public int version() {
        try (Session session = engine.session()) {
            return installedVersion(session);
        }
    }

    /** Marks runs left {@code running} by a process that died as {@code killed}; returns their ids, oldest first. */
    private static List<Long> closeInterruptedRuns(Session session) {
        List<Long> runs = new ArrayList<>();
        session.query("SELECT run_id FROM sluice.runs WHERE status = 'running' ORDER BY run_id").values()
                .forEach(row -> runs.add(((Number) row.get(0)).longValue()));
        if (!runs.isEmpty()) {
            session.execute("UPDATE sluice.runs SET status = 'killed' WHERE status = 'running'");
        }
        return runs;
    }

    /** The runs a dead process had left {@code running}, marked {@code killed} when this catalog was opened. */
    public List<Long> closedRuns() {
        return closedRuns;
    }

    /** Runs, model outcomes and lock takeovers. */
    public RunStore runs() {
        return runs;
    }

    /** Quality results and metrics. */
    public QualityStore quality() {
        return quality;
    }

    /** What sources have loaded (manifest, detections, watermarks, loads, rejects) and models folded in. */
    public SourceStateStore state() {
        return state;
    }

    /** Column lineage, expressions and run lineage. */
    public LineageStore lineage() {
        return lineage;
    }

    /** Interval ranges, late rows, window runs and arrival lateness. */
    public WindowStore windows() {
        return windows;
    }

    /** Lake versions and the storage optimiser's records. */
    public StorageStore storage() {
        return storage;
    }

    /** What the schedules of sluice.yml did at their due times. */
    public ScheduleStore schedules() {
        return schedules;
    }

    /** Planned models kept between plans. */
    public PlanCacheStore planCache() {
        return planCache;
    }
}
