package dev.sluice.project;

import static java.util.Objects.requireNonNull;

/**
 * Where a project keeps its catalog ({@code catalog:} in sluice.yml): in the warehouse (the default), in a DuckDB file
 * of its own (the default of an engine whose warehouse cannot hold it, Spark), or in a PostgreSQL database that
 * several machines and projects share, each project in a schema of its own.
 *
 * @param kind where the catalog lives
 * @param url the JDBC URL of the PostgreSQL database (never holds a password), or the absolute path of the DuckDB
 *     file; null for the warehouse
 * @param user the PostgreSQL user; null for the warehouse
 * @param password the PostgreSQL password, from {@code ${env:NAME}} (a secret of the project); null when none
 * @param schema the PostgreSQL schema holding this project's catalog tables; null for the warehouse
 */
public record CatalogSpec(Kind kind, String url, String user, String password, String schema) {
    /** The catalog in schema {@code sluice} of the warehouse. */
    public static final CatalogSpec WAREHOUSE = new CatalogSpec(Kind.WAREHOUSE, null, null, null, null);

    public CatalogSpec {
        requireNonNull(kind, "kind");
        if (kind == Kind.POSTGRES) {
            requireNonNull(url, "url");
            requireNonNull(schema, "schema");
        }
        if (kind == Kind.DUCKDB) {
            requireNonNull(url, "url");
        }
    }

    /** The catalog in schema {@code sluice} of the DuckDB file {@code file}, outside the warehouse. */
    public static CatalogSpec duckdb(java.nio.file.Path file) {
        return new CatalogSpec(Kind.DUCKDB, file.toAbsolutePath().normalize().toString(), null, null, null);
    }

    /**
     * The default catalog file of a warehouse that cannot hold the catalog: beside it, named after it
     * ({@code target/retail.duckdb} gets {@code target/retail_catalog.duckdb}; never {@code sluice.duckdb}, whose
     * DuckDB catalog name would clash with schema {@code sluice}).
     */
    public static CatalogSpec besideWarehouse(java.nio.file.Path warehouse) {
        String name = warehouse.getFileName().toString().replaceFirst("\\.duckdb$", "");
        return duckdb(warehouse.resolveSibling(name + "_catalog.duckdb"));
    }

    /** The DuckDB file of a {@link Kind#DUCKDB} catalog. */
    public java.nio.file.Path file() {
        if (kind != Kind.DUCKDB) {
            throw new IllegalStateException("a " + kind + " catalog has no file of its own");
        }
        return java.nio.file.Path.of(url);
    }

    /** Where the catalog lives. */
    public enum Kind { WAREHOUSE, DUCKDB, POSTGRES }

    /** True when the catalog is not in the warehouse (its writes cannot share the data's transaction). */
    public boolean external() {
        return kind != Kind.WAREHOUSE;
    }

    /** The schema a project's catalog gets by default in a shared database: {@code sluice_<project name>}. */
    public static String defaultSchema(String projectName) {
        return "sluice_" + projectName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /** Where the catalog is, for messages: never the password. */
    @Override
    public String toString() {
        return switch (kind) {
            case WAREHOUSE -> "warehouse";
            case DUCKDB -> url;
            case POSTGRES -> url + " schema " + schema;
        };
    }
}
