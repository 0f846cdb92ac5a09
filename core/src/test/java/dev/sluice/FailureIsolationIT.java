package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.exec.FaultPoints;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that fails in any way — an empty result is not a failure — fails alone: the models independent of it are
 * built, every model's outcome is recorded, and the run ends with its summary.
 */
class FailureIsolationIT {
    /** Every kind of DuckDB column a model may return, one NULL of each. */
    private static final String EVERY_TYPE = String.join(", ", java.util.stream.IntStream.range(0, 22)
            .mapToObj(i -> "CAST(NULL AS " + List.of("BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
                    "UBIGINT", "FLOAT", "DOUBLE", "DECIMAL(18,2)", "VARCHAR", "BLOB", "DATE", "TIME", "TIMESTAMP",
                    "TIMESTAMPTZ", "TIMESTAMP_MS", "INTERVAL", "UUID", "INTEGER[]", "STRUCT(x INTEGER)",
                    "MAP(VARCHAR, INTEGER)").get(i) + ") AS c" + i).toList());

    @TempDir
    Path dir;

    @AfterEach
    void disarm() {
        FaultPoints.disarm(FaultPoints.BUILD);
        FaultPoints.disarm(FaultPoints.COMMIT);
    }

    /** {@code broken} and its consumer {@code after_broken}, beside {@code north} and {@code south}, independent. */
    private Path project() {
        Path project = ProjectFixture.copyTo("isolation_orders", dir.resolve("p")).root();
        for (String name : List.of("broken", "north", "south")) {
            ProjectFixture.at(project).write("models/" + name + ".sql", """
                    /*---
                    materialized: table
                    ---*/
                    SELECT id, day FROM raw.orders
                    """);
        }
        ProjectFixture.at(project).write("models/after_broken.sql", """
                /*---
                materialized: table
                ---*/
                SELECT count(*) AS orders FROM broken
                """);
        return project;
    }

    private static String run(Path project, int expectedExit) {
        StringWriter out = new StringWriter();
        PrintWriter writer = new PrintWriter(out);
        int code = dev.sluice.cli.Main.run(writer, writer, "run", project.toString());
        assertThat(code).as(out.toString()).isEqualTo(expectedExit);
        return out.toString();
    }

    /** A table model read by DuckDB's parser (Calcite reads no list, struct or map literal). */
    private static void model(Path project, String name, String frontMatter, String sql) {
        ProjectFixture.at(project).write("models/" + name + ".sql", "/*---\nmaterialized: table\nparser: duckdb\n"
                + frontMatter + "---*/\n" + sql + "\n");
    }

    private static Map<String, String> outcomes(Sluice sluice, long runId) {
        Map<String, String> outcomes = new java.util.TreeMap<>();
        sluice.modelRuns(runId).forEach(record -> outcomes.put(record.model().substring(record.model().indexOf('.') + 1), record.status()));
        return outcomes;
    }

    @Test
    void emptyResultsOfEveryColumnTypeBuild() {
        Path project = ProjectFixture.copyTo("empty_results_every_type", dir.resolve("empty")).root();
        model(project, "in_warehouse", "", "SELECT " + EVERY_TYPE + " WHERE false");
        model(project, "in_lake", "storage: { format: parquet }\n", "SELECT " + EVERY_TYPE + " WHERE false");
        model(project, "measured", "storage: { measure: true }\n", "SELECT " + EVERY_TYPE + " WHERE false");
        model(project, "only_nulls", "", "SELECT " + EVERY_TYPE + " FROM range(3)");
        String out = run(project, 0);
        assertThat(out).contains("4 succeeded, 0 failed, 0 skipped");
        Sluice sluice = Sluice.open(project);
        for (String model : List.of("in_warehouse", "in_lake", "measured")) {
            assertThat(sluice.query("SELECT count(*) FROM " + model).rows()).as(model).containsExactly(List.of(0L));
        }
        assertThat(sluice.query("SELECT count(*) FROM only_nulls").rows()).containsExactly(List.of(3L));
        assertThat(outcomes(sluice, sluice.runs(1).get(0).runId())).containsOnlyKeys("in_warehouse", "in_lake",
                "measured", "only_nulls").allSatisfy((model, status) -> assertThat(status).isEqualTo("success"));
    }

    @Test
    void theInitTemplateBuildsWhenAVarLeavesNoRows() {
        Path project = dir.resolve("started");
        StringWriter out = new StringWriter();
        PrintWriter writer = new PrintWriter(out);
        assertThat(dev.sluice.cli.Main.run(writer, writer, "init", project.toString())).as(out.toString()).isZero();
        assertThat(dev.sluice.cli.Main.run(writer, writer, "run", project.toString(), "--var", "min_amount=100000"))
                .as(out.toString()).isZero();
        assertThat(out.toString()).contains("0 failed, 0 skipped");
    }

    @Test
    void anUnexpectedExceptionInABuildFailsThatModelOnly() {
        Path project = project();
        FaultPoints.arm(FaultPoints.BUILD, (model, session) -> {
            if (model.equals("broken")) {
                throw new IllegalStateException("injected defect");
            }
        });
        String out = run(project, 1);
        assertThat(out).contains("Cannot build model broken (models/broken.sql): unexpected "
                + "java.lang.IllegalStateException: injected defect at ")
                .contains("skipped: upstream broken failed")
                .contains("2 succeeded, 1 failed, 1 skipped");
        Sluice sluice = Sluice.open(project);
        long runId = sluice.runs(1).get(0).runId();
        assertThat(sluice.runs(1).get(0).status()).isEqualTo("failed");
        assertThat(outcomes(sluice, runId)).containsExactlyInAnyOrderEntriesOf(Map.of("broken", "failed",
                "after_broken", "skipped", "north", "success", "south", "success"));
        assertThat(sluice.modelRuns(runId).stream().filter(r -> r.model().equals("main.broken")).findFirst().orElseThrow()
                .error()).contains("injected defect");
        assertThat(sluice.query("SELECT count(*) FROM north").rows()).containsExactly(List.of(100L));
    }

    @Test
    void anUnexpectedExceptionInsideThePublishLeavesThePublishedVersion() throws Exception {
        Path project = project();
        ProjectFixture.at(project).write("models/broken.sql", """
                /*---
                materialized: table
                storage: { format: parquet }
                ---*/
                SELECT id, day FROM raw.orders
                """);
        run(project, 0);
        Path lake = project.resolve("target/lake/main/broken");
        List<Path> versions = folders(lake);
        assertThat(versions).hasSize(1);

        FaultPoints.arm(FaultPoints.COMMIT, (model, session) -> {
            if (model.equals("broken")) {
                throw new IllegalStateException("injected defect before the commit");
            }
        });
        ProjectFixture.at(project).write("sluice.yml", Files.readString(project.resolve("sluice.yml"))
                .replace("rows: 100", "rows: 50"));
        String out = run(project, 1);
        assertThat(out).contains("Cannot build model broken (models/broken.sql): unexpected "
                + "java.lang.IllegalStateException: injected defect before the commit");
        Sluice sluice = Sluice.open(project);
        // The transaction was rolled back and its new lake version deleted: the published version is the old one.
        assertThat(sluice.query("SELECT count(*) FROM broken").rows()).containsExactly(List.of(100L));
        assertThat(folders(lake)).isEqualTo(versions);
        assertThat(sluice.query("SELECT count(*) FROM north").rows()).containsExactly(List.of(50L));
        assertThat(outcomes(sluice, sluice.runs(1).get(0).runId())).containsEntry("broken", "failed")
                .containsEntry("north", "success").containsEntry("south", "success");
    }

    @Test
    void aFailedCommitIsReportedWithItsModelAndCauseAndTheRunGoesOn() {
        Path project = project();
        run(project, 0);
        String diskFull = "TransactionContext Error: Failed to commit: IO Error: Could not write all bytes to file "
                + "\"target/p.duckdb.wal\": No space left on device";
        FaultPoints.arm(FaultPoints.COMMIT, (model, session) -> {
            if (model.equals("broken")) {
                // As DuckDB does when its COMMIT fails: the transaction is rolled back, and the error is the commit's.
                session.execute("ROLLBACK");
                throw new SluiceException(ErrorCode.RUN_FAILED, "%s", diskFull);
            }
        });
        String out = run(project, 1);
        assertThat(out).contains("Cannot build model broken (models/broken.sql): " + diskFull)
                .doesNotContain("no transaction is active")
                .contains("2 succeeded, 1 failed, 1 skipped");
        Sluice sluice = Sluice.open(project);
        long runId = sluice.runs(1).get(0).runId();
        assertThat(outcomes(sluice, runId)).containsExactlyInAnyOrderEntriesOf(Map.of("broken", "failed",
                "after_broken", "skipped", "north", "success", "south", "success"));
        assertThat(sluice.modelRuns(runId).stream().filter(r -> r.model().equals("main.broken")).findFirst().orElseThrow()
                .error()).contains("No space left on device");
        assertThat(sluice.query("SELECT count(*) FROM broken").rows()).containsExactly(List.of(100L));
    }

    private static List<Path> folders(Path lake) throws Exception {
        try (Stream<Path> versions = Files.list(lake)) {
            return versions.sorted().toList();
        }
    }
}
