package dev.sluice.cli;

import static dev.sluice.cli.Launcher.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Launcher.Outcome;
import dev.sluice.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CatalogDamageIT} for a catalog kept in PostgreSQL: a damaged catalog, or one written by a newer Sluice, is
 * refused by the commands that write and by those that only read, naming the catalog's database and schema, with
 * exit code 5; the way out given is the database's, not the warehouse file's.
 */
class SharedCatalogDamageIT {
    private static String database;

    @TempDir
    Path dir;
    private String project;
    private String schema;

    @BeforeAll
    static void server() {
        database = PostgresServer.newDatabase("shared_damage");
    }

    @BeforeEach
    void runOnce() throws Exception {
        project = dir.resolve("shop").toString();
        assertThat(sluice("init", project).code()).isZero();
        schema = "sluice_" + dir.getFileName().toString().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        Files.writeString(dir.resolve("shop/sluice.yml"), "catalog: { type: postgres, url: '" + PostgresServer.url(
                database) + "', user: " + PostgresServer.user() + ", schema: " + schema + " }\n",
                StandardOpenOption.APPEND);
        Outcome run = sluice("run", project);
        assertThat(run.code()).as(run.err()).isZero();
    }

    private List<String[]> commands() {
        return List.of(new String[] {"run", project}, new String[] {"test", project}, new String[] {"runs", project},
                new String[] {"state", project}, new String[] {"quality", project},
                new String[] {"windows", project}, new String[] {"storage", project});
    }

    private void everyCommandRefuses(String expected) {
        for (String[] command : commands()) {
            Outcome outcome = sluice(command);
            assertThat(outcome.code()).as(String.join(" ", command) + ": " + outcome.err()).isEqualTo(5);
            assertThat(outcome.err()).as(String.join(" ", command)).startsWith("error: Cannot ")
                    .contains(PostgresServer.url(database) + " schema " + schema).contains(expected);
        }
    }

    private static void catalog(String sql) throws Exception {
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void aDroppedCatalogTableIsNamedAndTheDatabasesWayOutGiven() throws Exception {
        catalog("DROP TABLE " + schema + ".runs");
        everyCommandRefuses("it is damaged: table sluice.runs (catalog V1) is missing; restore the catalog's schema "
                + "from a backup of the database, or drop the schema and run the pipeline again");
        catalog("DROP SCHEMA " + schema + " CASCADE");
        Outcome run = sluice("run", project);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(sluice("runs", project).out()).contains("Run 1  success");
    }

    @Test
    void aCatalogFromANewerSluiceIsRefusedByReadersToo() throws Exception {
        catalog("INSERT INTO " + schema + ".schema_version (version, description, installed_at) VALUES (99, 'future', "
                + "now())");
        everyCommandRefuses("it is at version 99, written by a newer Sluice (its latest run was by Sluice 0.1.0); "
                + "this Sluice reads catalog versions up to 23");
        catalog("DELETE FROM " + schema + ".schema_version WHERE version = 99");
        Outcome run = sluice("run", project);
        assertThat(run.code()).as(run.err()).isZero();
    }
}
