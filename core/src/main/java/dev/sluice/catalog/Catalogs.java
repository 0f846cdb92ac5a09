package dev.sluice.catalog;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Engines;
import dev.sluice.project.CatalogSpec;
import dev.sluice.project.EngineTraits;
import dev.sluice.project.Project;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens the project's catalog, wherever sluice.yml keeps it: in the warehouse (on the warehouse's engine), or in
 * PostgreSQL (on a connection pool of its own, kept for the life of the JVM and shared by every open of the same
 * catalog), where a publish's catalog writes go through the warehouse's {@link Outbox}. The one way pipelines, the
 * API and the server open a catalog, so that an engine without transactions can run with its catalog elsewhere.
 * Thread-safe.
 */
public final class Catalogs {
    private static final Map<CatalogSpec, PostgresCatalogEngine> POSTGRES = new ConcurrentHashMap<>();
    private static final Map<CatalogSpec, Engine> DUCKDB = new ConcurrentHashMap<>();
    private static final Map<Engine, Outbox> OUTBOXES = new WeakHashMap<>();

    private Catalogs() {
    }

    /**
     * Opens the catalog for writing (see {@link Catalog#open(Engine)}); for a catalog outside the warehouse, replays
     * the catalog writes of publishes that committed their data but not their records. Call under the run lock.
     */
    public static Catalog open(Project project, Engine warehouse) {
        CatalogSpec spec = project.catalog();
        return switch (spec.kind()) {
            case WAREHOUSE -> Catalog.open(warehouse);
            case DUCKDB, POSTGRES -> Catalog.open(engine(spec), outbox(warehouse, spec));
        };
    }

    /** Opens the catalog for reading without migrating it; fails when it is missing, damaged or too new. */
    public static Catalog openExisting(Project project, Engine warehouse) {
        return switch (project.catalog().kind()) {
            case WAREHOUSE -> Catalog.openExisting(warehouse);
            case DUCKDB, POSTGRES -> openIfPresent(project, warehouse).orElseThrow(() -> new SluiceException(
                    ErrorCode.USAGE, "Cannot read the catalog in %s: it has no catalog of project %s yet; "
                    + "run the pipeline first (sluice run DIR)", project.catalog(), project.name()));
        };
    }

    /** Opens the catalog for reading without migrating it, or empty when there is none yet. */
    public static Optional<Catalog> openIfPresent(Project project, Engine warehouse) {
        CatalogSpec spec = project.catalog();
        return switch (spec.kind()) {
            case WAREHOUSE -> Catalog.openIfPresent(warehouse);
            // a reader writes nothing to the warehouse (it may be read-only): pending writes wait for the next run
            case DUCKDB -> Files.exists(spec.file()) ? Catalog.openIfPresent(readable(spec, warehouse), null)
                    : Optional.empty();
            case POSTGRES -> Catalog.openIfPresent(postgres(spec), null);
        };
    }

    /** The engine a catalog in PostgreSQL is opened on (the project's catalog tables for the run lock). */
    static PostgresCatalogEngine postgres(CatalogSpec spec) {
        return POSTGRES.computeIfAbsent(spec, key -> {
            PostgresCatalogEngine engine = PostgresCatalogEngine.connect(key);
            Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "sluice-catalog-close"));
            return engine;
        });
    }

    /**
     * The engine a catalog in a DuckDB file of its own is opened on: DuckDB on that file, kept for the JVM's life
     * (DuckDB lets one process write a file; every open in this JVM shares it).
     */
    static Engine duckdb(CatalogSpec spec) {
        return DUCKDB.computeIfAbsent(spec, key -> {
            try {
                Files.createDirectories(key.file().getParent());
            } catch (IOException e) {
                throw new SluiceException(ErrorCode.RUN_FAILED, e, "Cannot open the catalog %s: "
                        + "%s; check that its folder can be written", key, e.getMessage());
            }
            Engine engine = Engines.factory(EngineTraits.DEFAULT).open(
                    EngineOptions.readWrite(key.file(), 1, null, List.of()));
            Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "sluice-catalog-close"));
            return engine;
        });
    }

    /**
     * The engine a reader of a catalog in a DuckDB file reads it on: this JVM's (see {@link #duckdb}), or, while
     * another process holds the file for writing (a run), a copy of it as that process last left it ({@link
     * CatalogCopy}), kept as long as {@code warehouse} is in use.
     */
    private static Engine readable(CatalogSpec spec, Engine warehouse) {
        try {
            return duckdb(spec);
        } catch (SluiceException e) {
            if (e.code() != ErrorCode.WAREHOUSE_LOCKED) {
                throw e;
            }
            return CatalogCopy.open(spec.file(), warehouse);
        }
    }

    /** The engine a catalog outside the warehouse is opened on. */
    private static Engine engine(CatalogSpec spec) {
        return switch (spec.kind()) {
            case WAREHOUSE -> throw new IllegalArgumentException("the warehouse's catalog is on the warehouse");
            case DUCKDB -> duckdb(spec);
            case POSTGRES -> postgres(spec);
        };
    }

    private static Outbox outbox(Engine warehouse, CatalogSpec spec) {
        synchronized (OUTBOXES) {
            return OUTBOXES.computeIfAbsent(warehouse, engine -> Outbox.create(engine, engine(spec)));
        }
    }
}
