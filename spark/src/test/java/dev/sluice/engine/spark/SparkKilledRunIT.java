package dev.sluice.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.exec.FaultPoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on Spark killed (SIGKILL) after its publish committed in the Iceberg warehouse and before its records reached
 * the catalog (DuckDB file beside the warehouse): the next run reconciles from the warehouse's outbox, exactly once.
 */
class SparkKilledRunIT {
    /** What a Spark JVM on Java 17 needs opened (spark/pom.xml's argLine). */
    private static final List<String> OPENS = List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io",
            "java.net", "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch",
            "sun.nio.cs", "sun.security.action", "sun.util.calendar");

    @TempDir
    Path dir;

    @BeforeAll
    static void localTwoCores() {
        System.setProperty(SparkSettings.MASTER_PROPERTY, "local[2]");
    }

    @Test
    void aRunKilledAfterItsPublishIsRecordedOnceByTheNextRun() throws Exception {
        Path project = dir.resolve("p");
        ProjectFixture.copyFolder(ProjectFixture.REPOSITORY.resolve("core/src/test/resources/projects/killed_incremental"),
                project);
        Files.writeString(project.resolve("sluice.yml"), "engine: spark\n", StandardOpenOption.APPEND);
        StringBuilder csv = new StringBuilder("id,user_id,amount\n");
        for (long i = 0; i < 1000; i++) {
            csv.append(i).append(',').append(i % 100).append(',').append(i % 97).append('\n');
        }
        Files.createDirectories(project.resolve("data"));
        Files.writeString(project.resolve("data/a.csv"), csv);

        Process run = fork(project, "-D" + FaultPoints.PAUSE_PROPERTY + "=" + FaultPoints.AFTER_COMMIT
                + ":events_inc", "run", project.toString(), "--threads", "1", "--master", "local[2]");
        waitForLine(run, FaultPoints.PAUSED + FaultPoints.AFTER_COMMIT + ":events_inc");
        run.destroyForcibly();
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();

        Sluice next = Sluice.open(project);
        RunResult rerun = next.run(RunOptions.defaults());

        assertThat(rerun.succeeded()).as(rerun.toString()).isTrue();
        assertThat(next.runs(10)).extracting(dev.sluice.Run::status).containsExactly("success", "killed");
        long killed = next.runs(10).get(1).runId();
        long second = next.runs(10).get(0).runId();
        // the killed run's publish is recorded, replayed from the warehouse's outbox once; the rerun found nothing new
        assertThat(next.modelRuns(killed)).extracting(dev.sluice.ModelRun::status).containsExactly("success");
        assertThat(next.modelRuns(second)).extracting(dev.sluice.ModelRun::status).containsExactly("up_to_date");
        assertThat(next.query("SELECT count(*), count(DISTINCT id) FROM main.events_inc").rows())
                .containsExactly(List.of(1000L, 1000L));
        assertThat(next.query("SELECT count(*) FROM sluice_outbox.pending").rows()).containsExactly(List.of(0L));
    }

    private Process fork(Path project, String property, String... args) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + tmp, property));
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
        throw new AssertionError("the forked process never printed '" + line + "'; its log: "
                + (Files.exists(log) ? Files.readString(log) : "(none)"));
    }
}
