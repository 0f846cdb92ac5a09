package dev.sluice.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ErrorCode;
import dev.sluice.ModelRun;
import dev.sluice.ModelStatus;
import dev.sluice.ProjectFixture;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.SluiceException;
import dev.sluice.exec.FaultPoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs on Spark killed (SIGKILL, in a forked launcher paused at a fault point) or failed (a fault point that throws)
 * at each step of a publish: after its Iceberg commit and before its catalog records, after the records were written
 * to the warehouse's outbox and before the transaction's commit, and after the commit before the records reach the
 * catalog (DuckDB file beside the warehouse). The next run gives, row by row, the tables of the same runs on DuckDB
 * uninterrupted (an {@code append} model adds each file once, a {@code merge} model keeps the newest row per key), and
 * each model run is recorded once.
 */
class SparkKilledRunIT {
    /** What a Spark JVM on Java 17 needs opened (spark/pom.xml's argLine). */
    private static final List<String> OPENS = List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io",
            "java.net", "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch",
            "sun.nio.cs", "sun.security.action", "sun.util.calendar");
    private static final String PROJECT = """
            name: inc
            warehouse: target/inc.duckdb
            sources:
              raw.events:
                type: files
                path: data/*.csv
                header: true
                columns: { id: BIGINT, user_id: BIGINT, amount: DOUBLE }
                change_detection: manifest
            """;
    private static final List<String> TABLES = List.of("appended", "merged");

    @TempDir
    Path dir;

    @BeforeAll
    static void localTwoCores() {
        System.setProperty(SparkSettings.MASTER_PROPERTY, "local[2]");
    }

    private Path project(String name, String engine) throws IOException {
        Path root = dir.resolve(name);
        Files.createDirectories(root.resolve("models"));
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("sluice.yml"), PROJECT.replace("name: inc\n", "name: inc\n" + engine));
        Files.writeString(root.resolve("models/merged.sql"), "/*---\nmaterialized: incremental\nincremental: "
                + "{ strategy: merge, unique_key: id }\n---*/\nSELECT id, user_id, amount * 2 AS doubled FROM raw.events\n");
        Files.writeString(root.resolve("models/appended.sql"), "/*---\nmaterialized: incremental\nincremental: "
                + "{ strategy: append }\n---*/\nSELECT id, user_id, amount FROM raw.events\n");
        return root;
    }

    /**
     * A file of 200 rows: ids {@code first..first+199}; later files repeat ids of the first only (so that the newest
     * row of a key does not depend on how the later files were batched).
     */
    private static void file(Path project, String name, long first, long factor) throws IOException {
        StringBuilder csv = new StringBuilder("id,user_id,amount\n");
        for (long id = first; id < first + 200; id++) {
            csv.append(id).append(',').append(id % 17).append(',').append(id * factor % 97).append('\n');
        }
        Files.writeString(project.resolve("data/" + name), csv);
    }

    @Test
    void aPublishKilledOrFailedAtAnyStepGivesTheUninterruptedTablesAndOneRecord() throws Exception {
        Path onDuckDb = project("duckdb", "");
        Path onSpark = project("spark", "engine: spark\n");
        // the files of each step: a first; then b, c, d, e each before a run that is killed on Spark; then f, whose
        // run fails at a fault point on Spark
        List<List<Object>> files = List.of(List.of("a.csv", 0L, 1L), List.of("b.csv", 100L, 3L),
                List.of("c.csv", 1000L, 5L), List.of("d.csv", 2000L, 7L), List.of("e.csv", 3000L, 11L),
                List.of("f.csv", 4000L, 13L));
        for (List<Object> step : files) {
            file(onDuckDb, (String) step.get(0), (Long) step.get(1), (Long) step.get(2));
            assertThat(ProjectFixture.at(onDuckDb).run().succeeded()).isTrue();
        }

        file(onSpark, "a.csv", 0, 1);
        assertThat(runToEnd(onSpark)).as(log()).isZero();
        // after appended's Iceberg commit (its rows inserted), before its records are written
        file(onSpark, "b.csv", 100, 3);
        killAt(onSpark, FaultPoints.AFTER_AUDIT + ":appended");
        // the next run rolls that back, builds appended again and is killed after writing its records to the outbox,
        // before its transaction commits
        killAt(onSpark, FaultPoints.COMMIT + ":appended");
        file(onSpark, "c.csv", 1000, 5);
        killAt(onSpark, FaultPoints.AFTER_AUDIT + ":merged");
        file(onSpark, "d.csv", 2000, 7);
        killAt(onSpark, FaultPoints.COMMIT + ":merged");
        // after the commit, before its records are copied from the outbox into the catalog
        file(onSpark, "e.csv", 3000, 11);
        killAt(onSpark, FaultPoints.AFTER_COMMIT + ":appended");
        assertThat(runToEnd(onSpark)).as(log()).isZero();
        assertThat(onSpark.resolve("target/inc.duckdb/" + SparkTransaction.JOURNAL)).doesNotExist();

        Sluice sluice = Sluice.open(onSpark);
        file(onSpark, "f.csv", 4000, 13);
        FaultPoints.arm(FaultPoints.AFTER_AUDIT, (model, session) -> {
            if (model.equals("appended")) {
                throw new SluiceException(ErrorCode.RUN_FAILED, "injected failure after appended's Iceberg commit");
            }
        });
        RunResult failed;
        try {
            failed = sluice.run(RunOptions.defaults());
        } finally {
            FaultPoints.disarm(FaultPoints.AFTER_AUDIT);
        }
        assertThat(failed.model("appended").orElseThrow().status()).isEqualTo(ModelStatus.FAILED);
        assertThat(failed.model("appended").orElseThrow().error())
                .contains("injected failure after appended's Iceberg commit");
        RunResult last = sluice.run(RunOptions.defaults());
        assertThat(last.succeeded()).as(last.toString()).isTrue();

        for (String table : TABLES) {
            String select = "SELECT * FROM main." + table;
            assertThat(SameRows.normal(sluice.query(select).rows())).as(select)
                    .isEqualTo(SameRows.normal(ProjectFixture.at(onDuckDb).query(select).rows()));
        }
        // each file appended once: 6 x 200 rows (b repeats 100 ids of a)
        assertThat(sluice.query("SELECT count(*), count(DISTINCT id) FROM main.appended").rows())
                .containsExactly(List.of(1200L, 1100L));
        assertThat(sluice.query("SELECT count(*) FROM sluice_outbox.pending").rows()).containsExactly(List.of(0L));
        assertThat(onSpark.resolve("target/inc.duckdb/" + SparkTransaction.JOURNAL)).doesNotExist();

        // one record per model and run; the killed runs record a model only when its publish committed
        List<dev.sluice.Run> runs = sluice.runs(20);
        assertThat(runs).extracting(dev.sluice.Run::status).containsExactly("success", "failed", "success", "killed",
                "killed", "killed", "killed", "killed", "success");
        List<List<String>> published = new ArrayList<>();
        List<dev.sluice.Run> oldestFirst = new ArrayList<>(runs);
        java.util.Collections.reverse(oldestFirst);
        for (dev.sluice.Run run : oldestFirst) {
            List<ModelRun> models = sluice.modelRuns(run.runId());
            assertThat(models).extracting(ModelRun::model).doesNotHaveDuplicates();
            published.add(models.stream().filter(model -> model.status().equals("success"))
                    .map(model -> model.model().replace("main.", "")).sorted().toList());
        }
        // models build in name order. appended: a; killed twice before its commit; b and c in the run killed on
        // merged, d in the next; e in the run killed after its commit (recorded from the outbox by the next run);
        // failed on f, then f. merged: a; killed twice before its commit; b to e; f.
        assertThat(published.subList(0, 6)).containsExactly(List.of("appended", "merged"), List.of(), List.of(),
                List.of("appended"), List.of("appended"), List.of("appended"));
        assertThat(published.get(6)).containsExactly("merged");
        assertThat(published.get(7)).doesNotContain("appended");
        assertThat(published.get(8)).contains("appended");
        assertThat(published.stream().filter(models -> models.contains("appended"))).hasSize(5);
    }

    private int runToEnd(Path project) throws Exception {
        Process run = fork(null, "run", project.toString(), "--threads", "1", "--master", "local[2]");
        assertThat(run.waitFor(600, TimeUnit.SECONDS)).isTrue();
        return run.exitValue();
    }

    /** Runs the project in a forked launcher paused at {@code pause} ({@code POINT:MODEL}) and kills it there. */
    private void killAt(Path project, String pause) throws Exception {
        Process run = fork("-D" + FaultPoints.PAUSE_PROPERTY + "=" + pause, "run", project.toString(), "--threads",
                "1", "--master", "local[2]");
        waitForLine(run, FaultPoints.PAUSED + pause);
        run.destroyForcibly();
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    private String log() throws IOException {
        Path log = dir.resolve("forked.log");
        return Files.exists(log) ? Files.readString(log) : "(none)";
    }

    private Process fork(String property, String... args) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + tmp));
        if (property != null) {
            command.add(property);
        }
        OPENS.forEach(open -> command.add("--add-opens=java.base/" + open + "=ALL-UNNAMED"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.sluice.cli.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("forked.log").toFile())
                .start();
    }

    /** Waits until the forked process has written {@code line} to its log (it then waits there to be killed). */
    private void waitForLine(Process process, String line) throws Exception {
        Path log = dir.resolve("forked.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new AssertionError("the forked process never printed '" + line + "'; its log: " + log());
    }
}
