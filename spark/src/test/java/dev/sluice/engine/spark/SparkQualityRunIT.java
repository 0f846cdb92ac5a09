package dev.sluice.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.sluice.ModelRun;
import dev.sluice.ModelStatus;
import dev.sluice.ProjectFixture;
import dev.sluice.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model with quarantine, a threshold and a warning, run whole on DuckDB and on Spark local[2]: the published table
 * and its quarantine table are the same row by row. The conditional paths scenario (a {@code when:} over rows, and
 * one over an upstream model's quality) takes the same branches on both engines and publishes the same rows.
 */
class SparkQualityRunIT {
    private static final String MODEL = """
            /*---
            materialized: table
            quality:
              - not_null: [email]
                severity: quarantine
              - regex: { column: email, pattern: 'user[0-9]+@example\\.com' }
                severity: warn
              - range: { column: amount, min: 0 }
                max_fail_fraction: 0.2
              - unique: id
            ---*/
            SELECT id,
                   CASE WHEN id % 10 = 0 THEN -id ELSE id END AS amount,
                   CASE WHEN id % 25 = 0 THEN NULL WHEN id % 7 = 0 THEN 'x' || id ELSE 'user' || id || '@example.com'
                   END AS email
            FROM raw.items
            """;
    private static final String PROJECT = """
            name: q
            warehouse: target/q.duckdb
            sources:
              raw.items:
                type: synthetic
                rows: 100
                columns:
                  id: { type: BIGINT, generator: sequence }
            """;

    @TempDir
    static Path dir;

    @BeforeAll
    static void localTwoCores() {
        System.setProperty(SparkSettings.MASTER_PROPERTY, "local[2]");
    }

    private static ProjectFixture project(String name, String engine) throws IOException {
        Path root = dir.resolve(name);
        Files.createDirectories(root.resolve("models"));
        Files.writeString(root.resolve("sluice.yml"), PROJECT.replace("name: q\n", "name: q\n" + engine));
        Files.writeString(root.resolve("models/stg_items.sql"), MODEL);
        return ProjectFixture.at(root);
    }

    @Test
    void quarantineThresholdsAndWarningsGiveDuckDbsTables() throws IOException {
        ProjectFixture onDuckDb = project("duckdb", "");
        ProjectFixture onSpark = project("spark", "engine: spark\n");

        RunResult duckDbRun = onDuckDb.run();
        RunResult sparkRun = onSpark.run();

        assertThat(duckDbRun.succeeded()).as(duckDbRun.toString()).isTrue();
        assertThat(sparkRun.succeeded()).as(sparkRun.toString()).isTrue();
        for (String select : List.of("SELECT id, amount, email FROM main.stg_items",
                "SELECT id, amount, email, _sluice_rule, _sluice_reason FROM main.stg_items__quarantine")) {
            List<List<Object>> duckDb = SameRows.normal(onDuckDb.query(select).rows());
            assertThat(SameRows.normal(onSpark.query(select).rows())).as(select).isEqualTo(duckDb);
        }
        assertThat(onSpark.query("SELECT count(*) FROM main.stg_items").rows()).containsExactly(List.of(96L));
        assertThat(onSpark.query("SELECT count(*) FROM main.stg_items__quarantine").rows()).containsExactly(List.of(4L));
    }

    /**
     * The scenario {@code cli_conditional_path} (big runs when items has over 100 rows, otherwise small), with a
     * quality-gated pair beside it: checked passes its threshold with 2 of 10 rows failing, strict runs only when
     * under 10% fail (otherwise fallback), lenient when under 50% fail.
     */
    private static ProjectFixture conditional(String name, String engine) {
        ProjectFixture project = ProjectFixture.at(ProjectFixture.copyFolder(ProjectFixture.REPOSITORY.resolve(
                "core/src/test/resources/projects/cli_conditional_path"), dir.resolve(name)));
        project.replace("sluice.yml", "name: w\n", "name: w\n" + engine);
        project.write("models/checked.sql", """
                /*---
                materialized: table
                quality:
                  - range: { column: id, max: 8 }
                    max_fail_fraction: 0.5
                ---*/
                SELECT id FROM items
                """);
        project.write("models/strict.sql", """
                /*---
                when: quality(checked).fail_fraction < 0.1 and rows(checked) > 0
                otherwise: fallback
                ---*/
                SELECT id FROM checked WHERE id <= 8
                """);
        project.write("models/fallback.sql", "SELECT count(*) AS n, max(id) AS top FROM checked\n");
        project.write("models/lenient.sql", """
                /*---
                when: quality(checked).fail_fraction < 0.5 and not (rows(checked) = 0)
                ---*/
                SELECT id * 10 AS tens FROM checked
                """);
        return project;
    }

    @Test
    void conditionalPathsTakeDuckDbsBranches() {
        ProjectFixture onDuckDb = conditional("duckdb-paths", "");
        ProjectFixture onSpark = conditional("spark-paths", "engine: spark\n");

        RunResult duckDbRun = onDuckDb.run();
        RunResult sparkRun = onSpark.run();

        assertThat(duckDbRun.succeeded()).as(duckDbRun.toString()).isTrue();
        assertThat(sparkRun.succeeded()).as(sparkRun.toString()).isTrue();
        for (String model : List.of("items", "big", "small", "checked", "strict", "fallback", "lenient")) {
            assertThat(sparkRun.model(model).orElseThrow().status()).as(model)
                    .isEqualTo(duckDbRun.model(model).orElseThrow().status());
        }
        assertThat(sparkRun.model("big").orElseThrow().status()).isEqualTo(ModelStatus.NOT_TAKEN);
        assertThat(sparkRun.model("strict").orElseThrow().status()).isEqualTo(ModelStatus.NOT_TAKEN);
        assertThat(sparkRun.model("lenient").orElseThrow().status()).isEqualTo(ModelStatus.SUCCESS);
        for (String table : List.of("items", "small", "checked", "fallback", "lenient")) {
            String select = "SELECT * FROM main." + table;
            assertThat(SameRows.normal(onSpark.query(select).rows())).as(select)
                    .isEqualTo(SameRows.normal(onDuckDb.query(select).rows()));
        }
        assertThat(onSpark.query("SELECT n, top FROM main.fallback").rows()).containsExactly(List.of(10L, 10L));
        assertThat(onSpark.open().modelRuns(sparkRun.runId())).filteredOn(run -> !run.status().equals("success"))
                .extracting(ModelRun::model, ModelRun::status)
                .containsExactlyInAnyOrder(tuple("main.big", "not_taken"),
                        tuple("main.strict", "not_taken"));
    }
}
