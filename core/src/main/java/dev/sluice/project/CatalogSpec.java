package dev.sluice.project;

import static java.util.Objects.requireNonNull;

/**
 * Where a project keeps its catalog ({@code catalog:} in sluice.yml): in the warehouse (the default) or in a
 * PostgreSQL database that several machines and projects share, each project in a schema of its own.
 *
 * @param kind where the catalog lives
 * @param url the JDBC URL of the PostgreSQL database (never holds a password); null for the warehouse
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
    }

    /** Where the catalog lives. */
    public enum Kind { WAREHOUSE, POSTGRES }

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
            case POSTGRES -> url + " schema " + schema;
        };
    }
}
