package dev.sluice.cli;

import static dev.sluice.cli.Launcher.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Launcher.Outcome;
import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.engine.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged catalog or warehouse file, or one written by a newer Sluice, is refused on every open, by the commands that
 * write and by those that only read, with what happened and what to do, and exit code 5.
 */
class CatalogDamageIT {
    private static final String RESTORE = "restore the warehouse file from a backup, or move it aside and run the "
            + "pipeline again (sluice run on its project) to rebuild every table and a new catalog from the sources";

    @TempDir
    Path dir;

    private String project;
    private Path warehouse;
    private Path backup;

    @BeforeEach
    void runOnceAndKeepABackup() throws IOException {
        project = dir.resolve("shop").toString();
        assertThat(sluice("init", project).code()).isZero();
        Outcome run = sluice("run", project);
        assertThat(run.code()).as(run.err()).isZero();
        warehouse = dir.resolve("shop/target/shop.duckdb");
        assertThat(warehouse).exists();
        assertThat(dir.resolve("shop/target/shop.duckdb.wal")).doesNotExist();
        backup = Files.copy(warehouse, dir.resolve("shop.duckdb.backup"));
    }

    /** Every command that opens the warehouse, the writing ones first. */
    private List<String[]> commands() {
        return List.of(new String[] {"run", project}, new String[] {"test", project},
                new String[] {"state", "reset", project, "--model", "returns_log", "--yes"},
                new String[] {"optimize", project}, new String[] {"runs", project},
                new String[] {"query", project, "SELECT 42"}, new String[] {"state", project},
                new String[] {"quality", project}, new String[] {"lineage", project, "daily_revenue", "--as-of", "1"},
                new String[] {"docs", project, "-o", dir.resolve("docs.html").toString()},
                new String[] {"windows", project}, new String[] {"storage", project},
                new String[] {"storage", project, "--dry-run"}, new String[] {"plan", project});
    }

    private void everyCommandRefuses(String... expected) {
        for (String[] command : commands()) {
            Outcome outcome = sluice(command);
            assertThat(outcome.code()).as(String.join(" ", command) + ": " + outcome.err()).isEqualTo(5);
            assertThat(outcome.err()).as(String.join(" ", command)).startsWith("error: Cannot ")
                    .contains(warehouse.toString()).contains(expected);
        }
    }

    private void damage(String sql) {
        try (DuckDbEngine engine = DuckDbEngine.open(warehouse, 0, null); Session session = engine.session()) {
            session.execute(sql);
        }
    }

    private void restoreTheBackupAndRunAgain() throws IOException {
        Files.copy(backup, warehouse, StandardCopyOption.REPLACE_EXISTING);
        Outcome run = sluice("run", project);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(sluice("runs", project).out()).contains("Run 2  success");
    }

    @Test
    void aDroppedCatalogTableIsNamedAndTheWayOutGiven() throws IOException {
        damage("DROP TABLE sluice.runs");
        everyCommandRefuses("it is damaged: table sluice.runs (catalog V1) is missing; " + RESTORE);
        restoreTheBackupAndRunAgain();
    }

    @Test
    void aDroppedVersionTableIsDamageNotAFreshCatalog() throws IOException {
        damage("DROP TABLE sluice.schema_version");
        everyCommandRefuses("it is damaged: its table sluice.schema_version is missing, while "
                + "sluice.arrival_lateness, sluice.checkpoints, sluice.column_compression and", RESTORE);
        restoreTheBackupAndRunAgain();
    }

    @Test
    void aCatalogFromANewerSluiceIsRefusedByReadersToo() throws IOException {
        damage("INSERT INTO sluice.schema_version (version, description, installed_at) VALUES (99, 'future', now())");
        everyCommandRefuses("it is at version 99, written by a newer Sluice (its latest run was by Sluice 0.1.0); "
                + "this Sluice reads catalog versions up to 23; use a Sluice that knows catalog version 99 with this "
                + "warehouse (sluice --version shows yours)");
        restoreTheBackupAndRunAgain();
    }

    @Test
    void aFileCutShortInItsBlocksIsDamageOnTheFirstReadOfALostBlock() throws IOException {
        byte[] bytes = Files.readAllBytes(warehouse);
        Files.write(warehouse, Arrays.copyOf(bytes, bytes.length / 2));
        everyCommandRefuses("Cannot read the warehouse: the file is damaged or not a DuckDB database (IO Error: Could "
                + "not read enough bytes from file", RESTORE);
        restoreTheBackupAndRunAgain();
    }

    @Test
    void aFileCutShortInItsHeadersOrEmptyIsDamage() throws IOException {
        byte[] bytes = Files.readAllBytes(warehouse);
        Files.write(warehouse, Arrays.copyOf(bytes, 100));
        everyCommandRefuses("Cannot open warehouse " + warehouse + ": the file is damaged or not a DuckDB database "
                + "(IO Error: Could not read enough bytes", RESTORE);
        Files.write(warehouse, new byte[0]);
        everyCommandRefuses("Cannot open warehouse " + warehouse + ": the file is damaged or not a DuckDB database "
                + "(IO Error: The file", "is not a valid DuckDB database file", RESTORE);
        restoreTheBackupAndRunAgain();
    }
}
