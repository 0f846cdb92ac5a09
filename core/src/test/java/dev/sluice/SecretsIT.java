package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret from the environment, used by models, a quality rule and a source path, is written nowhere: not in the
 * warehouse file, no catalog table, no view definition, no OpenLineage event, no docs page and no console line, in
 * any escaping. The launcher runs in a child JVM, the only way to give it an environment variable.
 */
class SecretsIT {
    /** Distinctive, with the characters that SQL and JSON escape. */
    private static final String SECRET = "Zq9it's-\"Secret\"-7Kp";

    @TempDir
    Path dir;

    @Test
    void aSecretIsWrittenNowhereInAnyEscaping() throws Exception {
        Path project = dir.resolve("vault");
        ProjectFixture.at(project).write("sluice.yml", """
                name: vault
                warehouse: target/vault_warehouse.duckdb
                vars:
                  token: ${env:SLUICE_TEST_SECRET}
                  min_id: 0
                sources:
                  raw.events:
                    type: files
                    path: data/${env:SLUICE_TEST_SECRET}/*.csv
                    format: csv
                    columns: { id: BIGINT, amount: BIGINT }
                    change_detection: manifest
                    max_rejected_fraction: 0.5
                  raw.extra:
                    type: files
                    path: data/${env:SLUICE_TEST_SECRET}/*.csv
                    format: csv
                """);
        // a corrupt line: its file goes to sluice.rejects
        ProjectFixture.at(project).write("data/" + SECRET + "/events-1.csv", "id,amount\n1,10\n2,20\n3,30\nx,40\n");
        ProjectFixture.at(project).write("models/signed.sql", """
                /*---
                materialized: table
                quality:
                  - expression: "length(${token}) > ${min_id}"
                  - name: token_is_set
                    sql: SELECT * FROM this WHERE ${token} IS NULL
                ---*/
                SELECT id, amount, length(${token}) AS token_length FROM raw.events WHERE ${token} <> ''
                """);
        ProjectFixture.at(project).write("models/bad_cast.sql", """
                /*--- materialized: table ---*/
                SELECT CAST(${token} AS INTEGER) AS n FROM raw.events
                """);
        ProjectFixture.at(project).write("models/token_view.sql", """
                /*--- materialized: view ---*/
                SELECT id FROM raw.extra WHERE ${token} <> ''
                """);
        Path console = dir.resolve("console.log");
        ForkedLauncher launcher = ForkedLauncher.in(dir).logTo(console).environment("SLUICE_TEST_SECRET", SECRET);

        // A view would keep the secret's read in the warehouse, where no session holds it: refused, located.
        assertThat(launcher.run("run", project.toString())).isEqualTo(2);
        assertThat(read(console)).contains("models/token_view.sql:2:32: Cannot substitute parameter ${token}: its value "
                + "comes from the environment (a secret), and view models are read by sessions that do not hold it (their "
                + "SQL is kept in the warehouse or inlined into views); materialize the model as a table "
                + "(materialized: table)");

        ProjectFixture.at(project).write("models/token_view.sql", """
                /*--- materialized: table ---*/
                SELECT id FROM raw.extra WHERE ${token} <> ''
                """);
        Path events = project.resolve("target/openlineage.jsonl");
        int exit = launcher.run("run", project.toString(), "--openlineage", events.toString());
        ProjectFixture.at(project).write("data/" + SECRET + "/events-2.csv", "id,amount\n4,40\n");
        launcher.run("run", project.toString(), "--openlineage", events.toString());
        Path docs = project.resolve("target/docs.html");
        assertThat(launcher.run("docs", project.toString(), "--output", docs.toString())).isZero();
        assertThat(launcher.run("lineage", project.toString(), "signed.token_length")).isZero();

        assertThat(exit).isEqualTo(1);
        String output = read(console);
        // The failing cast is reported, with the secret's placeholder where DuckDB quoted its value.
        assertThat(output).contains("bad_cast").contains("${env:SLUICE_TEST_SECRET}");
        assertThat(Files.readString(events)).contains("signed");
        List<String> dumped = new ArrayList<>();
        try (DuckDbEngine engine = DuckDbEngine.openReadOnly(project.resolve("target/vault_warehouse.duckdb"));
                Session session = engine.session()) {
            assertThat(session.query("SELECT count(*) FROM main.signed").singleLong()).isEqualTo(4);
            assertThat(session.query("SELECT error FROM sluice.model_runs WHERE model = 'main.bad_cast'").values())
                    .isNotEmpty()
                    .allSatisfy(row -> assertThat((String) row.get(0)).contains("${env:SLUICE_TEST_SECRET}"));
            assertThat(session.query("SELECT count(*) FROM sluice.rejects WHERE file = ?",
                    "data/${env:SLUICE_TEST_SECRET}/events-1.csv").singleLong()).isEqualTo(1);
            for (List<Object> relation : session.query("SELECT schema_name, table_name, sql FROM duckdb_tables() "
                    + "UNION ALL SELECT schema_name, view_name, sql FROM duckdb_views() WHERE NOT internal").values()) {
                dumped.add(String.valueOf(relation.get(2)));
                Rows rows = session.query("SELECT * FROM \"" + relation.get(0) + "\".\"" + relation.get(1) + "\"");
                dumped.add(rows.columns() + " " + rows.values());
            }
        }
        String catalog = String.join("\n", dumped);
        // what was kept, with the placeholder: the vars of each build, the files read, the rejected line's file
        assertThat(catalog).contains("\"token\":\"${env:SLUICE_TEST_SECRET}\"",
                "data/${env:SLUICE_TEST_SECRET}/events-2.csv", "getvariable('sluice_secret_token')");

        List<String> forms = List.of(SECRET, SECRET.replace("'", "''"), SECRET.replace("\"", "\\\""),
                SECRET.replace("'", "''").replace("\"", "\\\""), SECRET.replace("\"", "\"\""), "Zq9it");
        assertThat(catalog).doesNotContain(forms.toArray(new String[0]));
        assertThat(output).doesNotContain(forms.toArray(new String[0]));
        try (Stream<Path> files = Files.walk(project.resolve("target"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    // every byte, as `strings` would see it
                    String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    assertThat(bytes).as(file.toString()).doesNotContain(forms.toArray(new String[0]));
                }
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
