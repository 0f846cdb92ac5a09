package dev.sluice.exec;

import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.Catalogs;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Engines;
import dev.sluice.plan.PlanCache;
import dev.sluice.project.Project;
import java.nio.file.Files;
import java.util.List;

/**
 * Where the plan cache is read and kept: the project's catalog, wherever sluice.yml keeps it ({@link Catalogs}). Reading is best effort (no catalog, an older
 * one, a damaged row: those models are planned); the cache is written only where the catalog can be written without
 * waiting or disturbing anyone: by a run, under its lock, or by a plan when no process holds or left the lock.
 */
final class PlanCaching {
    private PlanCaching() {
    }

    /** The usable rows of the catalog's plan cache; an empty cache when there is no catalog or it cannot be read. */
    static PlanCache read(Project project, Engine engine, String sluiceVersion) {
        try {
            return Catalogs.openIfPresent(project, engine).map(catalog -> PlanCache.of(sluiceVersion,
                    catalog.planCache().read())).orElse(PlanCache.empty(sluiceVersion));
        } catch (RuntimeException e) {
            // A catalog that cannot be read plans every model; the command that needs the catalog reports why.
            return PlanCache.empty(sluiceVersion);
        }
    }

    /** The usable rows of an open catalog's plan cache; an empty cache when there is none or it cannot be read. */
    static PlanCache read(Catalog catalog, String sluiceVersion) {
        if (catalog == null) {
            return PlanCache.empty(sluiceVersion);
        }
        try {
            return PlanCache.of(sluiceVersion, catalog.planCache().read());
        } catch (RuntimeException e) {
            // as read(Project, ...): the command that needs the catalog reports why it cannot be read
            return PlanCache.empty(sluiceVersion);
        }
    }

    /** Keeps the rows in the project's catalog; {@code engine} is its warehouse, open for writing under its lock. */
    static void keep(Project project, Engine engine, List<PlanCache.Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            Catalogs.openIfPresent(project, engine).ifPresent(catalog -> catalog.planCache().write(entries));
        } catch (RuntimeException e) {
            // The cache is an optimisation: a catalog that cannot take the rows (an older version, read-only) plans
            // those models again next time.
        }
    }

    /**
     * Keeps the rows when the warehouse and its catalog exist and nobody holds its lock, nor left it (a run killed
     * before it could release it: the next run records that takeover, so the plan does not take the lock then).
     * Never creates a warehouse or a catalog.
     */
    static void keepWhereWritable(Project project, List<PlanCache.Entry> entries) {
        if (entries.isEmpty() || !Files.exists(project.warehouse())
                || WarehouseLock.holder(project.warehouse()) != null) {
            return;
        }
        try (WarehouseLock lock = WarehouseLock.acquire(project.warehouse());
                Engine engine = Engines.openReadWrite(project)) {
            keep(project, engine, entries);
        } catch (RuntimeException e) {
            // Held by another process or connection (a run, sluice serve, a read-only reader in this JVM): the cache
            // is read, not written, this time.
        }
    }
}
