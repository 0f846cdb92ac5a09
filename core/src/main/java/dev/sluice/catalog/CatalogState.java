package dev.sluice.catalog;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a warehouse's catalog holds, looked at on every open (a metadata query, and one more of
 * {@code schema_version} when it exists), and the refusal of a catalog that is damaged or was written by a newer
 * Sluice. Without it a damaged catalog fails later, in the middle of a command, with DuckDB's message about one of its
 * tables; refusing it on open says what happened and what to do.
 *
 * @param file the warehouse file, or null for a database in memory
 * @param tables the tables of schema {@code sluice}, lower case
 * @param versions the versions {@code schema_version} records (empty when it is missing)
 */
record CatalogState(String file, Set<String> tables, Set<Integer> versions) {
    /** The ways out of a damaged catalog in PostgreSQL (the warehouse's data is not at fault). */
    static final String SHARED_ADVICE = "restore the catalog's schema from a backup of the database, or drop the "
            + "schema and run the pipeline again to start a new catalog (the run history, quality results and "
            + "incremental state start afresh)";

    CatalogState {
        tables = Set.copyOf(tables);
        versions = Set.copyOf(versions);
    }

    /** Reads the state: the catalog's tables from DuckDB's metadata, then the versions it records. */
    static CatalogState read(Session session) {
        if (session instanceof PostgresCatalogSession postgres) {
            Set<String> tables = new TreeSet<>();
            session.query("SELECT lower(table_name) FROM information_schema.tables WHERE table_schema = ?",
                    postgres.engine().schema()).values().forEach(table -> tables.add((String) table.get(0)));
            return withVersions(session, postgres.engine().spec().toString(), tables);
        }
        List<Object> row = session.query("SELECT (SELECT list(lower(table_name)) FROM duckdb_tables() "
                + "WHERE database_name = current_database() AND schema_name = 'sluice'), "
                + "(SELECT path FROM duckdb_databases() WHERE database_name = current_database())").values().get(0);
        Set<String> tables = new TreeSet<>();
        if (row.get(0) != null) {
            ((List<?>) row.get(0)).forEach(table -> tables.add((String) table));
        }
        return withVersions(session, (String) row.get(1), tables);
    }

    private static CatalogState withVersions(Session session, String file, Set<String> tables) {
        Set<Integer> versions = new TreeSet<>();
        if (tables.contains("schema_version")) {
            try {
                session.query("SELECT version FROM sluice.schema_version").values()
                        .forEach(version -> versions.add(((Number) version.get(0)).intValue()));
            } catch (SluiceException e) {
                throw e.code() == ErrorCode.WAREHOUSE_DAMAGED ? e
                        : damaged(file, "its table sluice.schema_version cannot be read: " + e.getMessage());
            }
        }
        return new CatalogState(file, tables, versions);
    }

    /** True when the warehouse has no catalog yet (at most the empty version table of a first open cut short). */
    boolean absent() {
        return versions.isEmpty() && tables.stream().allMatch("schema_version"::equals);
    }

    /**
     * Refuses a catalog written by a newer Sluice, or one whose tables disagree with the versions it records: a table
     * of an installed version missing, the version table missing, or a table of a version not recorded present.
     */
    void requireUsable(List<Migrations.Migration> migrations, Session session) {
        int known = migrations.get(migrations.size() - 1).version();
        int newest = versions.stream().mapToInt(Integer::intValue).max().orElse(0);
        if (newest > known) {
            // Checked first: a newer Sluice may have dropped or renamed tables this one expects.
            throw new SluiceException(ErrorCode.CATALOG_TOO_NEW, "Cannot open the catalog of warehouse %s: it is at "
                    + "version %d, written by a newer Sluice%s; this Sluice reads catalog versions up to %d; use a "
                    + "Sluice that knows catalog version %d with this warehouse (sluice --version shows yours)", file,
                    newest, lastWriter(session), known, newest);
        }
        if (absent()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        if (!tables.contains("schema_version")) {
            problems.add("its table sluice.schema_version is missing, while " + names(tables) + " exist");
        } else if (versions.isEmpty()) {
            problems.add("its table sluice.schema_version is empty, while " + names(tables) + " exist");
        } else {
            TreeMap<String, Integer> expected = new TreeMap<>();
            for (Migrations.Migration migration : migrations) {
                if (versions.contains(migration.version())) {
                    migration.createdTables().forEach(table -> expected.put(table, migration.version()));
                    migration.droppedTables().forEach(expected::remove);
                }
            }
            expected.forEach((table, version) -> {
                if (!tables.contains(table)) {
                    problems.add("table sluice." + table + " (catalog V" + version + ") is missing");
                }
            });
            for (Migrations.Migration migration : migrations) {
                if (!versions.contains(migration.version())) {
                    Set<String> early = new LinkedHashSet<>(migration.createdTables());
                    early.retainAll(tables);
                    if (!early.isEmpty()) {
                        problems.add(names(early) + " exist but sluice.schema_version does not record V"
                                + migration.version() + " (" + migration.description() + ") that creates them");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw damaged(file, String.join("; ", problems));
        }
    }

    /** The Sluice of the warehouse's latest run, as a clause of the refusal; empty when it cannot be read. */
    private static String lastWriter(Session session) {
        try {
            Object version = session.query("SELECT sluice_version FROM sluice.runs ORDER BY run_id DESC LIMIT 1")
                    .single();
            return version == null ? "" : " (its latest run was by Sluice " + version + ")";
        } catch (SluiceException e) {
            return "";
        }
    }

    private static String names(Set<String> tables) {
        List<String> names = tables.stream().filter(table -> !table.equals("schema_version"))
                .map(table -> "sluice." + table).sorted().toList();
        return names.size() <= 3 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 3)) + " and " + (names.size() - 3) + " more";
    }

    /** A damaged warehouse: what is wrong, and the two ways out. */
    static SluiceException damaged(String file, String reason) {
        return new SluiceException(ErrorCode.WAREHOUSE_DAMAGED, "Cannot open the catalog of warehouse %s: it is "
                + "damaged: %s; %s", file, reason, file != null && file.startsWith("jdbc:") ? SHARED_ADVICE
                : Engine.DAMAGED_ADVICE);
    }
}
