package dev.sluice.catalog;

import dev.sluice.engine.Engine;
import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.postgres.PostgresServer;
import dev.sluice.project.CatalogSpec;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a catalog test keeps its catalog, of either kind: a warehouse file in the test's folder, or a schema of its
 * own in the shared embedded PostgreSQL (one database for the catalog tests), so that the same tests run on both.
 *
 * @param location how the catalog's refusals name it
 * @param schema the schema holding the catalog tables
 */
record CatalogTarget(CatalogSpec.Kind kind, Path warehouse, CatalogSpec spec, String location, String schema) {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static String database;

    static CatalogTarget of(CatalogSpec.Kind kind, Path dir) {
        return switch (kind) {
            case WAREHOUSE -> new CatalogTarget(kind, dir.resolve("w.duckdb"), CatalogSpec.WAREHOUSE,
                    dir.resolve("w.duckdb").toString(), "sluice");
            case DUCKDB -> {
                CatalogSpec spec = CatalogSpec.duckdb(dir.resolve("w_catalog.duckdb"));
                yield new CatalogTarget(kind, dir.resolve("w.duckdb"), spec, spec.file().toString(), "sluice");
            }
            case POSTGRES -> {
                String schema = "sluice_test_" + SCHEMAS.incrementAndGet();
                CatalogSpec spec = new CatalogSpec(kind, PostgresServer.url(database()), PostgresServer.user(), "",
                        schema);
                yield new CatalogTarget(kind, dir.resolve("w.duckdb"), spec, spec.toString(), schema);
            }
        };
    }

    private static synchronized String database() {
        if (database == null) {
            database = PostgresServer.newDatabase("catalog");
        }
        return database;
    }

    /** A new engine on the catalog's database: the warehouse, or the PostgreSQL catalog. */
    Engine open() {
        return switch (kind) {
            case WAREHOUSE -> DuckDbEngine.open(warehouse, 0, null);
            case DUCKDB -> DuckDbEngine.open(spec.file(), 0, null);
            case POSTGRES -> PostgresCatalogEngine.connect(spec);
        };
    }
}
