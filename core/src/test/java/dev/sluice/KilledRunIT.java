package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.exec.FaultPoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL in a forked JVM leaves every published table intact and the next run completes. Each kill
 * lands at a named fault point ({@link FaultPoints}): the forked run stops there and is killed while it waits, so
 * the tests are deterministic (no sleeps to guess when a build is half done).
 */
class KilledRunIT {
    /** Distinct user ids in 3M events drawn from 100k: every one of them (a miss has odds of about 1e-8). */
    private static final long ALL_USERS = 100_000;

    @TempDir
    Path dir;

    /** The killed_events scenario: {@code rows} synthetic events, a table per user and a ranking of the users. */
    private Path project(long rows) {
        ProjectFixture project = ProjectFixture.copyTo("killed_events", dir.resolve("p"));
        project.replace("sluice.yml", "rows: 1000", "rows: " + rows);
        return project.root();
    }

    @Test
    void killedRunLeavesPublishedTablesAndTheNextRunCompletes() throws Exception {
        Path project = project(1000);
        Sluice small = Sluice.open(project);
        assertThat(small.run(RunOptions.defaults()).succeeded()).isTrue();
        long publishedUsers = count(small, "main.per_user");

        // Killed at several points in turn: staged, about to commit, and between the two models' publishes.
        project(3_000_000);
        for (String point : List.of(FaultPoints.AFTER_STAGE, FaultPoints.COMMIT, FaultPoints.MODEL_FINISHED)) {
            Process run = ForkedLauncher.in(dir).startPaused(point + ":per_user", "run", project.toString(), "--threads",
                    "1");
            // A second writer from another process is refused at once, naming the holder.
            assertThatThrownBy(() -> Sluice.open(project).run(RunOptions.defaults()))
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining("in use by another run (pid " + run.pid() + " on host");
            run.destroyForcibly();
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();

            // Each table is wholly the old version or wholly the new one, never a part of either.
            Sluice afterKill = Sluice.open(project);
            assertThat(count(afterKill, "main.per_user")).isIn(publishedUsers, ALL_USERS);
            assertThat(count(afterKill, "main.ranked")).isIn(publishedUsers, ALL_USERS);
            assertThat(afterKill.query("SELECT sum(events) FROM main.per_user").rows().get(0).get(0))
                    .isIn(java.math.BigInteger.valueOf(1000), java.math.BigInteger.valueOf(3_000_000),
                            java.math.BigDecimal.valueOf(1000), java.math.BigDecimal.valueOf(3_000_000));
            assertThat(afterKill.query("SELECT count(*) FROM information_schema.tables "
                    + "WHERE table_name LIKE '%sluice_staging%'").rows()).containsExactly(List.of(0L));
        }

        project(1000);
        Sluice next = Sluice.open(project);
        RunResult result = next.run(RunOptions.defaults());
        assertThat(result.succeeded()).isTrue();
        assertThat(count(next, "main.ranked")).isEqualTo(count(next, "main.per_user")).isEqualTo(publishedUsers);
        assertThat(next.runs(10)).extracting(r -> r.status()).contains("killed");
    }

    @Test
    void killedIncrementalRunNeverLosesOrDuplicatesRows() throws Exception {
        Path project = ProjectFixture.copyTo("killed_incremental", dir.resolve("inc")).root();
        writeCsv(project.resolve("data/a.csv"), 0, 1000);
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();

        long expected = 1000;
        List<String> points = List.of(FaultPoints.AFTER_STAGE, FaultPoints.COMMIT, FaultPoints.AFTER_COMMIT);
        for (int file = 1; file <= 3; file++) {
            writeCsv(project.resolve("data/part" + file + ".csv"), file * 10_000_000L, 300_000);
            expected += 300_000;
            Process run = ForkedLauncher.in(dir).startPaused(points.get(file - 1) + ":events_inc", "run",
                    project.toString(), "--threads", "1");
            run.destroyForcibly();
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // The model holds whole loads only: never a part of one, never a row twice.
            long rows = count(sluice, "main.events_inc");
            assertThat(sluice.query("SELECT count(DISTINCT id) FROM main.events_inc").rows().get(0).get(0))
                    .isEqualTo(rows);
            assertThat((rows - 1000) % 300_000).isZero();
        }
        RunResult finished = Sluice.open(project).run(RunOptions.defaults());
        assertThat(finished.succeeded()).isTrue();
        assertThat(count(sluice, "main.events_inc")).isEqualTo(expected);
        assertThat(sluice.query("SELECT count(DISTINCT id) FROM main.events_inc").rows().get(0).get(0))
                .isEqualTo(expected);
    }

    /**
     * A backfill killed at several points leaves every interval of a windowed model in its old state or its new one,
     * never a mix: the rows carry the time their build's transaction started, and the catalog the run that built them.
     */
    @Test
    void killedBackfillLeavesEveryIntervalOldOrNew() throws Exception {
        Path project = ProjectFixture.copyTo("killed_backfill", dir.resolve("win")).root();
        Files.createDirectories(project.resolve("data"));
        try (dev.sluice.engine.duckdb.DuckDbEngine engine = dev.sluice.engine.duckdb.DuckDbEngine.inMemory();
                dev.sluice.engine.Session session = engine.session()) {
            session.execute("COPY (SELECT range AS id, TIMESTAMP '2023-01-01' + to_microseconds(range * 5000000) AS ts, "
                    + "range % 100003 AS user_id FROM range(640000)) TO '" + project.resolve("data/events.csv")
                    + "' (HEADER, DELIMITER ',')");
        }
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        String perInterval = "SELECT hour, events, users FROM hourly ORDER BY hour";
        List<List<Object>> before = sluice.query(perInterval).rows();
        for (String point : List.of(FaultPoints.AFTER_STAGE, FaultPoints.AFTER_AUDIT, FaultPoints.COMMIT)) {
            Process run = ForkedLauncher.in(dir).startPaused(point + ":hourly", "backfill", project.toString(),
                    "--select", "hourly", "--from", "2023-01-01", "--to", "2025-01-01");
            run.destroyForcibly();
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Sluice afterKill = Sluice.open(project);
            assertThat(afterKill.query(perInterval).rows()).isEqualTo(before);
            assertThat(afterKill.query("SELECT count(DISTINCT built_at) FROM hourly").rows())
                    .containsExactly(List.of(1L));
            assertThat(afterKill.query("SELECT count(DISTINCT run_id), sum(intervals) FROM sluice.intervals "
                    + "WHERE model = 'main.hourly'").rows()).containsExactly(List.of(1L, java.math.BigInteger.valueOf(
                            before.size())));
        }
    }

    /**
     * A backfill killed between two publishes — the restated model committed, the model downstream not yet built —
     * leaves each model whole (restated or as it was), and the next run rebuilds the downstream intervals that read
     * restated ones: the cascade is finished, the tables are those of an uninterrupted backfill.
     */
    @Test
    void aBackfillKilledBetweenTwoPublishesIsFinishedByTheNextRun() throws Exception {
        Path project = ProjectFixture.example("windows", dir).root();
        Path incoming = Files.createDirectories(project.resolve("target/incoming"));
        Files.copy(project.resolve("data/day1.csv"), incoming.resolve("day1.csv"));
        Files.copy(project.resolve("data/day2.csv"), incoming.resolve("day2.csv"));
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        String tables = "SELECT 'hourly', hour, events, users, amount FROM hourly UNION ALL "
                + "SELECT 'daily', day, events, NULL, amount FROM daily ORDER BY ALL";
        List<List<Object>> before = sluice.query(tables).rows();

        ForkedLauncher launcher = ForkedLauncher.in(dir);
        Process backfill = launcher.startPaused(FaultPoints.MODEL_FINISHED + ":hourly", "backfill", project.toString(),
                "--select", "hourly", "--from", "2024-01-01", "--to", "2024-01-03");
        assertThat(launcher.output()).containsPattern("SUCCESS +main.hourly");
        backfill.destroyForcibly();
        assertThat(backfill.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // hourly is restated whole, daily not built at all: each model old or new, never a part of one.
        long killed = sluice.runs(1).get(0).runId();
        assertThat(sluice.runs(1).get(0).command()).isEqualTo("backfill");
        String byRun = "SELECT count(*) FROM sluice.intervals WHERE model = ? AND run_id = " + killed;
        assertThat(number(sluice, byRun.replace("?", "'main.hourly'"))).isPositive();
        assertThat(number(sluice, byRun.replace("?", "'main.daily'"))).isZero();
        assertThat(sluice.modelRuns(killed)).extracting(r -> r.model() + " " + r.status())
                .containsExactly("main.hourly success");
        assertThat(sluice.query(tables).rows()).isEqualTo(before);

        RunResult next = sluice.run(RunOptions.defaults());
        assertThat(next.succeeded()).as(next.toString()).isTrue();
        assertThat(next.model("hourly").orElseThrow().reason()).contains("up to date");
        assertThat(next.model("daily").orElseThrow().reason())
                .contains("1 built interval(s) rebuilt [2024-01-01 00:00, 2024-01-02 00:00)");
        // Every day that read the restated hours is rebuilt after them, as an uninterrupted backfill would have.
        assertThat(number(sluice, "SELECT count(*) FROM sluice.intervals AS d WHERE model = 'main.daily' AND run_id < "
                + "(SELECT max(h.run_id) FROM sluice.intervals AS h WHERE h.model = 'main.hourly' AND h.interval_start >= "
                + "d.interval_start AND h.interval_start < d.interval_end)")).isZero();
        assertThat(sluice.query(tables).rows()).isEqualTo(before);
        assertThat(sluice.runs(10)).extracting(r -> r.runId() + " " + r.status()).contains(killed + " killed");
    }

    private static long number(Sluice sluice, String sql) {
        return ((Number) sluice.query(sql).rows().get(0).get(0)).longValue();
    }

    private static void writeCsv(Path file, long firstId, long rows) throws Exception {
        Files.createDirectories(file.getParent());
        try (dev.sluice.engine.duckdb.DuckDbEngine engine = dev.sluice.engine.duckdb.DuckDbEngine.inMemory();
                dev.sluice.engine.Session session = engine.session()) {
            session.execute("COPY (SELECT " + firstId + " + range AS id, range % 1000 AS user_id, range % 97 AS amount "
                    + "FROM range(" + rows + ")) TO '" + file + "' (HEADER, DELIMITER ',')");
        }
    }

    private static long count(Sluice sluice, String relation) {
        return ((Number) sluice.query("SELECT count(*) FROM " + relation).rows().get(0).get(0)).longValue();
    }
}
