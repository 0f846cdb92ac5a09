package dev.sluice.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.Run;
import dev.sluice.RunListener;
import dev.sluice.ScheduleRun;
import dev.sluice.ScheduleRun.Status;
import dev.sluice.Sluice;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleRunnerIT {
    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");
    private static final Instant MINUTE_1 = Instant.parse("2026-01-05T10:01:00Z");
    private static final Instant MINUTE_2 = Instant.parse("2026-01-05T10:02:00Z");

    @TempDir
    Path dir;

    private final BlockingQueue<ScheduleRun> outcomes = new LinkedBlockingQueue<>();

    /** The next due time the runner decided on; fails after a minute, when it never comes. */
    private ScheduleRun next() throws InterruptedException {
        ScheduleRun outcome = outcomes.poll(60, TimeUnit.SECONDS);
        assertThat(outcome).as("an outcome within a minute").isNotNull();
        return outcome;
    }

    private ScheduleRunner start(Sluice sluice, TestClock clock, RunListener listener) {
        return ScheduleRunner.start(sluice, clock, listener, outcomes::add);
    }

    /** A project whose nightly schedule is left out, so only every_minute is due in these tests. */
    private ProjectFixture project(String name) {
        ProjectFixture project = ProjectFixture.copyTo("scheduled_orders", dir.resolve(name));
        project.replace("sluice.yml", "  nightly:\n    cron: \"0 2 * * *\"", "  nightly:\n    cron: \"0 2 1 1 *\"");
        return project;
    }

    @Test
    void runsADueScheduleWithItsSelectionAndVarsAndRecordsIt() throws InterruptedException {
        ProjectFixture project = project("due");
        Sluice sluice = project.open();
        TestClock clock = new TestClock(START);

        try (ScheduleRunner runner = start(sluice, clock, RunListener.NONE)) {
            assertThat(runner.schedules()).extracting(s -> s.name()).containsExactly("every_minute", "nightly");
            clock.set(MINUTE_1);
            runner.wakeUp();
            ScheduleRun outcome = next();

            assertThat(outcome.schedule()).isEqualTo("every_minute");
            assertThat(outcome.due()).isEqualTo(MINUTE_1);
            assertThat(outcome.status()).isEqualTo(Status.STARTED);
            assertThat(outcome.runStatus()).isEqualTo("success");
        }

        Run run = sluice.runs(1).get(0);
        assertThat(run.schedule()).isEqualTo("every_minute");
        assertThat(run.args()).isEqualTo("--select +revenue --var min_amount=10");
        assertThat(sluice.scheduleRuns("every_minute", 5)).containsExactly(
                new ScheduleRun("every_minute", MINUTE_1, Status.STARTED, run.runId(), "success", null));
        assertThat(sluice.lastScheduleRuns()).extracting(ScheduleRun::schedule).containsExactly("every_minute");
        assertThat(project.query("SELECT customer, revenue FROM revenue ORDER BY customer").rows())
                .containsExactly(List.of("ann", 20.0), List.of("bob", 12.0));
        assertThat(sluice.modelRuns(run.runId())).extracting(m -> m.model()).containsExactlyInAnyOrder(
                "main.stg_orders", "main.revenue");
    }

    @Test
    void startsAndClosesWithNothingDueBeforeTheFirstRun() {
        ProjectFixture project = project("idle");
        Sluice sluice = project.open();

        try (ScheduleRunner runner = ScheduleRunner.start(sluice, java.time.Clock.fixed(START,
                java.time.ZoneOffset.UTC))) {
            runner.wakeUp();
            assertThat(runner.schedules()).hasSize(2);
        }

        assertThat(sluice.scheduleRuns(null, 5)).isEmpty();
        assertThat(project.root().resolve("target/scheduled.duckdb")).doesNotExist();
    }

    @Test
    void skipsADueTimeWhileThePreviousRunOfTheScheduleRuns() throws InterruptedException {
        ProjectFixture project = project("skip");
        Sluice sluice = project.open();
        TestClock clock = new TestClock(START);
        BlockingListener listener = new BlockingListener();

        try (ScheduleRunner runner = start(sluice, clock, listener)) {
            clock.set(MINUTE_1);
            runner.wakeUp();
            assertThat(listener.started.await(60, TimeUnit.SECONDS)).isTrue();
            clock.set(MINUTE_2);
            runner.wakeUp();
            listener.release.countDown();

            assertThat(List.of(next(), next())).extracting(ScheduleRun::due, ScheduleRun::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(MINUTE_1, Status.STARTED),
                            org.assertj.core.groups.Tuple.tuple(MINUTE_2, Status.SKIPPED));
        }

        assertThat(sluice.scheduleRuns(null, 5)).extracting(ScheduleRun::due, ScheduleRun::status,
                ScheduleRun::reason).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(MINUTE_2, Status.SKIPPED,
                                "1 run of the schedule was still queued or running (max_concurrency 1)"),
                        org.assertj.core.groups.Tuple.tuple(MINUTE_1, Status.STARTED, null));
        assertThat(sluice.runs(5)).hasSize(1);
    }

    @Test
    void closeWaitsForTheRunningRunAndSkipsTheQueuedOnes() throws Exception {
        ProjectFixture project = project("close");
        project.replace("sluice.yml", "    catch_up: none", "    catch_up: none\n    max_concurrency: 3");
        Sluice sluice = project.open();
        TestClock clock = new TestClock(START);
        BlockingListener listener = new BlockingListener();
        ScheduleRunner runner = start(sluice, clock, listener);
        clock.set(MINUTE_1);
        runner.wakeUp();
        assertThat(listener.started.await(60, TimeUnit.SECONDS)).isTrue();
        clock.set(MINUTE_2);
        runner.wakeUp();

        CompletableFuture<Void> closed = CompletableFuture.runAsync(runner::close);
        // close() is waiting on the blocked run; the due time queued behind it never starts.
        assertThat(closed).isNotDone();
        listener.release.countDown();
        closed.get(60, TimeUnit.SECONDS);

        List<ScheduleRun> decided = new ArrayList<>(outcomes);
        assertThat(decided).extracting(ScheduleRun::due, ScheduleRun::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple(MINUTE_1, Status.STARTED),
                org.assertj.core.groups.Tuple.tuple(MINUTE_2, Status.SKIPPED));
        assertThat(sluice.scheduleRuns(null, 5)).extracting(ScheduleRun::reason).containsExactly(
                "the server stopped before its run started", null);
        assertThat(sluice.runs(5)).extracting(Run::status).containsExactly("success");
        runner.close();
    }

    @Test
    void catchUpRunsOrRecordsTheDueTimesMissedWhileNoServerRan() throws InterruptedException {
        Instant minute5 = Instant.parse("2026-01-05T10:05:00Z");
        List<Instant> missed = List.of(MINUTE_2, Instant.parse("2026-01-05T10:03:00Z"),
                Instant.parse("2026-01-05T10:04:00Z"));
        for (String catchUp : List.of("none", "last", "all")) {
            outcomes.clear();
            ProjectFixture project = project("catch_up_" + catchUp);
            project.replace("sluice.yml", "    catch_up: none", "    catch_up: " + catchUp);
            Sluice sluice = project.open();
            TestClock clock = new TestClock(START);
            try (ScheduleRunner runner = start(sluice, clock, RunListener.NONE)) {
                clock.set(MINUTE_1);
                runner.wakeUp();
                assertThat(next().status()).isEqualTo(Status.STARTED);
            }
            // The server is down from 10:01:30 to 10:05:10; at start the runner finds 10:02 to 10:05 passed.
            clock.set(minute5.plusSeconds(10));
            try (ScheduleRunner runner = start(sluice, clock, RunListener.NONE)) {
                List<ScheduleRun> decided = new ArrayList<>();
                int expected = 4;
                for (int i = 0; i < expected; i++) {
                    decided.add(next());
                }
                List<Status> statuses = decided.stream().sorted(java.util.Comparator.comparing(ScheduleRun::due))
                        .map(ScheduleRun::status).toList();
                assertThat(statuses).as(catchUp).containsExactly(switch (catchUp) {
                    case "none" -> new Status[] {Status.MISSED, Status.MISSED, Status.MISSED, Status.MISSED};
                    case "last" -> new Status[] {Status.MISSED, Status.MISSED, Status.MISSED, Status.STARTED};
                    default -> new Status[] {Status.STARTED, Status.STARTED, Status.STARTED, Status.STARTED};
                });
            }
            List<ScheduleRun> recorded = sluice.scheduleRuns("every_minute", 10);
            assertThat(recorded).as(catchUp).extracting(ScheduleRun::due).containsExactly(minute5, missed.get(2),
                    missed.get(1), missed.get(0), MINUTE_1);
            if (catchUp.equals("none")) {
                assertThat(recorded.get(0).reason()).isEqualTo("no server ran at its due time and catch_up is none");
            }
            assertThat(sluice.runs(10)).as(catchUp).hasSize(switch (catchUp) {
                case "none" -> 1;
                case "last" -> 2;
                default -> 5;
            });
        }
    }

    @Test
    void aRunThatCannotStartIsRecordedAsFailedOnceTheWarehouseIsFree() throws InterruptedException {
        ProjectFixture project = project("locked");
        Sluice sluice = project.open();
        TestClock clock = new TestClock(START);
        BlockingQueue<String> notices = new LinkedBlockingQueue<>();
        RunListener listener = new RunListener() {
            @Override
            public void notice(String message) {
                notices.add(message);
            }
        };
        try (ScheduleRunner runner = start(sluice, clock, listener)) {
            dev.sluice.exec.WarehouseLock held = dev.sluice.exec.WarehouseLock.acquire(
                    project.root().resolve("target/scheduled.duckdb"));
            clock.set(MINUTE_1);
            runner.wakeUp();
            // Neither the run nor its record can take the warehouse: the record waits for the lock to be free.
            String notice = notices.poll(60, TimeUnit.SECONDS);
            assertThat(notice).startsWith("Cannot record 1 due time of the schedules in sluice.schedule_runs: Cannot "
                    + "run: warehouse ").contains("scheduled.duckdb is in use by another run")
                    .endsWith("; they are recorded after the next run");
            assertThat(outcomes).isEmpty();
            held.close();
            runner.wakeUp();

            ScheduleRun outcome = next();
            assertThat(outcome.status()).isEqualTo(Status.FAILED);
            assertThat(outcome.reason()).startsWith("Cannot run: warehouse ")
                    .contains("scheduled.duckdb is in use by another run");
        }
        assertThat(sluice.scheduleRuns(null, 5)).extracting(ScheduleRun::status).containsExactly(Status.FAILED);
        assertThat(sluice.runs(5)).isEmpty();
    }

    @Test
    void anExternalSchedulerCallingSluiceRunBuildsTheSameTables() throws InterruptedException {
        ProjectFixture scheduled = project("by_runner");
        ProjectFixture external = project("by_cron");
        Sluice sluice = scheduled.open();
        TestClock clock = new TestClock(START);
        try (ScheduleRunner runner = start(sluice, clock, RunListener.NONE)) {
            clock.set(MINUTE_1);
            runner.wakeUp();
            assertThat(next().status()).isEqualTo(Status.STARTED);
        }

        // What cron or Airflow would call for the schedule every_minute: its selection and vars on the command line.
        ProjectFixture.sluice(0, "run", external.root().toString(), "--select", "+revenue", "--var",
                "min_amount=10");

        for (String sql : List.of("SELECT * FROM stg_orders ORDER BY order_id",
                "SELECT * FROM revenue ORDER BY customer")) {
            assertThat(external.query(sql)).as(sql).isEqualTo(scheduled.query(sql));
            assertThat(scheduled.query(sql).rows()).as(sql).hasSize(2);
        }
        Run byRunner = sluice.runs(1).get(0);
        Run byCron = external.open().runs(1).get(0);
        assertThat(byCron.args()).isEqualTo(byRunner.args());
        assertThat(byCron.schedule()).isNull();
        assertThat(sluice.modelRuns(byRunner.runId())).extracting(m -> m.model() + " " + m.status() + " " + m.rows())
                .isEqualTo(external.open().modelRuns(byCron.runId()).stream()
                        .map(m -> m.model() + " " + m.status() + " " + m.rows()).toList());
    }

    /** Holds the first run in its first model until released. */
    private static final class BlockingListener implements RunListener {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void modelStarted(String model) {
            started.countDown();
            try {
                assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
