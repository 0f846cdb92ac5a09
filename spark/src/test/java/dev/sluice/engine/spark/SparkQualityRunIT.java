package dev.sluice.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;

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
 * and its quarantine table are the same row by row.
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
}
