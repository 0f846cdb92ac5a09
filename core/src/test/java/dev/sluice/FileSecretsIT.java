package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.duckdb.DuckDbEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret read from an owner-only file ({@code ${file:path}}) is written nowhere a run, a failed build, docs,
 * lineage and JSON logs write to: every byte of the project's target folder, every table and view of the warehouse
 * (catalog included) and everything printed are searched for it, in every escaping.
 */
class FileSecretsIT {
    private static final String SECRET = "Fk4it's-\"File\"-9Qz";

    @TempDir
    Path dir;

    @Test
    void aFileSecretIsWrittenNowhere() throws Exception {
        Path project = dir.resolve("vault");
        ProjectFixture.at(project).write("sluice.yml", """
                name: vault
                vars:
                  token: ${file:secrets/token.txt}
                sources:
                  raw.events:
                    type: synthetic
                    rows: 20
                    seed: 3
                    columns:
                      id: { type: BIGINT, generator: sequence }
                """);
        ProjectFixture.at(project).write("secrets/token.txt", SECRET + "\n");
        Files.setPosixFilePermissions(project.resolve("secrets/token.txt"), PosixFilePermissions.fromString("rw-------"));
        ProjectFixture.at(project).write("models/signed.sql", """
                /*---
                materialized: table
                quality:
                  - name: token_is_set
                    sql: SELECT * FROM this WHERE ${token} IS NULL
                ---*/
                SELECT id, length(${token}) AS token_length FROM raw.events WHERE ${token} <> ''
                """);
        ProjectFixture.at(project).write("models/bad_cast.sql", """
                /*--- materialized: table ---*/
                SELECT CAST(${token} AS INTEGER) AS n FROM raw.events
                """);
        Path events = project.resolve("target/openlineage.jsonl");
        Path docs = project.resolve("target/docs.html");

        StringBuilder output = new StringBuilder();
        output.append(ProjectFixture.sluice(1, "--log-format", "json", "run", project.toString(), "--openlineage",
                events.toString(), "--metrics-file", project.resolve("target/sluice.prom").toString()));
        output.append(ProjectFixture.sluice(1, "run", project.toString()));
        output.append(ProjectFixture.sluice(0, "docs", project.toString(), "--output", docs.toString()));
        output.append(ProjectFixture.sluice(0, "lineage", project.toString(), "signed.token_length"));
        output.append(ProjectFixture.sluice(0, "query", project.toString(), "SELECT * FROM sluice.model_runs"));

        // the failing cast is reported with the file's placeholder where DuckDB quoted the value
        assertThat(output).contains("bad_cast").contains("${file:secrets/token.txt}");
        assertThat(Files.readString(events)).contains("signed");
        List<String> dumped = new ArrayList<>();
        try (DuckDbEngine engine = DuckDbEngine.openReadOnly(project.resolve("target/vault.duckdb"));
                Session session = engine.session()) {
            assertThat(session.query("SELECT min(token_length) FROM main.signed").singleLong())
                    .isEqualTo(SECRET.length());
            for (List<Object> relation : session.query("SELECT schema_name, table_name, sql FROM duckdb_tables() "
                    + "UNION ALL SELECT schema_name, view_name, sql FROM duckdb_views() WHERE NOT internal").values()) {
                dumped.add(String.valueOf(relation.get(2)));
                Rows rows = session.query("SELECT * FROM \"" + relation.get(0) + "\".\"" + relation.get(1) + "\"");
                dumped.add(rows.columns() + " " + rows.values());
            }
        }
        String warehouse = String.join("\n", dumped);
        assertThat(warehouse).contains("\"token\":\"${file:secrets/token.txt}\"");

        List<String> forms = List.of(SECRET, SECRET.replace("'", "''"), SECRET.replace("\"", "\\\""),
                SECRET.replace("'", "''").replace("\"", "\\\""), SECRET.replace("\"", "\"\""), "Fk4it");
        assertThat(warehouse).doesNotContain(forms.toArray(new String[0]));
        assertThat(output.toString()).doesNotContain(forms.toArray(new String[0]));
        int files = 0;
        try (Stream<Path> walk = Files.walk(project.resolve("target"))) {
            for (Path file : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(file)) {
                    files++;
                    // every byte, as `strings` would see it: warehouse, WAL, events, docs, metrics
                    String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    assertThat(bytes).as(file.toString()).doesNotContain(forms.toArray(new String[0]));
                }
            }
        }
        assertThat(files).isGreaterThanOrEqualTo(4);
    }
}
