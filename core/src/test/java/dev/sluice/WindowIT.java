package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.exec.FaultPoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windowed models driven through whole pipelines over several runs, with hand-computed expected values. */
class WindowIT {
    @TempDir
    Path dir;

    /**
     * Events arrive as CSV files; {@code hourly} sums them per hour (lateness 3 hours on the event clock, the given
     * late_policy), {@code daily} sums {@code hourly} per day: the windowed_events scenario.
     */
    private Path project(String policy) {
        ProjectFixture project = ProjectFixture.copy("windowed_events", dir);
        project.replace("models/hourly.sql", "late_policy: quarantine", "late_policy: " + policy);
        return project.root();
    }

    private static void file(Path project, String name, String rows) throws Exception {
        Path file = ProjectFixture.at(project).write("data/" + name, "event_id,event_ts,amount\n" + rows);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(Files.size(file))));
    }

    private static List<List<Object>> rows(Sluice sluice, String sql) {
        return sluice.query(sql).rows();
    }

    private static long number(Sluice sluice, String sql) {
        return ((Number) rows(sluice, sql).get(0).get(0)).longValue();
    }

    /** Run 1 loads four events over three days: hours up to 2024-01-03 00:00 and days 1 and 2 are complete. */
    private Sluice firstRun(Path project) throws Exception {
        file(project, "a.csv", """
                1,2024-01-01 00:10:00,1
                2,2024-01-01 05:00:00,2
                3,2024-01-02 01:00:00,4
                4,2024-01-03 00:30:00,8
                """);
        Sluice sluice = Sluice.open(project);
        RunResult first = sluice.run(RunOptions.defaults());
        assertThat(first.succeeded()).as(first.toString()).isTrue();
        assertThat(first.model("hourly").get().reason()).contains("first build")
                .contains("48 pending interval(s) built [2024-01-01 00:00, 2024-01-03 00:00)");
        assertThat(first.model("daily").get().reason()).contains("2 pending interval(s) built");
        return sluice;
    }

    @Test
    void lateRowsWithinLatenessRebuildTheirIntervalAndOnlyTheDownstreamIntervalsTheyTouch() throws Exception {
        Path project = project("quarantine");
        Sluice sluice = firstRun(project);
        // The 44 empty hours are processed too: one merged range of 48 intervals, 3 rows, in the catalog.
        assertThat(rows(sluice, "SELECT interval_start, interval_end, intervals, state, rows, max_event_time "
                + "FROM sluice.intervals WHERE model = 'main.hourly'")).containsExactly(List.of(
                        java.time.LocalDateTime.parse("2024-01-01T00:00"), java.time.LocalDateTime.parse("2024-01-03T00:00"),
                        48L, "processed", 3L, java.time.LocalDateTime.parse("2024-01-02T01:00")));
        assertThat(rows(sluice, "SELECT day, CAST(amount AS BIGINT) FROM daily ORDER BY day")).containsExactly(
                List.of(java.time.LocalDateTime.parse("2024-01-01T00:00"), 3L),
                List.of(java.time.LocalDateTime.parse("2024-01-02T00:00"), 4L));
        long run1 = number(sluice, "SELECT max(run_id) FROM sluice.runs");

        // Run 2: an on-time event (hour 02 of day 3), one 2.5 hours late (within lateness), one 20 hours late (beyond).
        file(project, "b.csv", """
                5,2024-01-03 02:00:00,16
                6,2024-01-02 23:30:00,32
                7,2024-01-01 05:30:00,64
                """);
        // Plan reads the new file's event times and tells what will happen to its late rows.
        assertThat(sluice.plan(RunOptions.defaults()).stream().filter(step -> step.model().equals("hourly"))
                .findFirst().get().reason()).contains("late rows: [2024-01-01 05:00, 2024-01-01 06:00) 1 of raw.events "
                        + "beyond lateness: quarantined to hourly__late, [2024-01-02 23:00, 2024-01-03 00:00) 1 of "
                        + "raw.events within lateness: rebuilt");
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.succeeded()).isTrue();
        assertThat(second.model("hourly").get().reason())
                .contains("2 pending interval(s) built [2024-01-03 00:00, 2024-01-03 02:00)")
                .contains("1 built interval(s) rebuilt [2024-01-02 23:00, 2024-01-03 00:00)")
                .contains("late rows: 1 within lateness (rebuilt), 1 beyond lateness, quarantined");
        assertThat(rows(sluice, "SELECT hour, CAST(amount AS BIGINT) FROM hourly ORDER BY hour")).containsExactly(
                List.of(java.time.LocalDateTime.parse("2024-01-01T00:00"), 1L),
                List.of(java.time.LocalDateTime.parse("2024-01-01T05:00"), 2L),
                List.of(java.time.LocalDateTime.parse("2024-01-02T01:00"), 4L),
                List.of(java.time.LocalDateTime.parse("2024-01-02T23:00"), 32L),
                List.of(java.time.LocalDateTime.parse("2024-01-03T00:00"), 8L));
        // The quarantined row waits in hourly__late with its interval and the run that brought it.
        assertThat(rows(sluice, "SELECT event_id, _sluice_source, _sluice_interval_start, _sluice_arrival_run "
                + "FROM hourly__late")).containsExactly(List.of(7L, "raw.events",
                        java.time.LocalDateTime.parse("2024-01-01T05:00"), second.runId()));
        // Downstream: only day 2, which the rebuilt hour belongs to, is rebuilt; day 1 keeps its first build.
        assertThat(second.model("daily").get().reason()).contains("1 built interval(s) rebuilt [2024-01-02 00:00, "
                + "2024-01-03 00:00)").doesNotContain("pending");
        assertThat(rows(sluice, "SELECT day, CAST(amount AS BIGINT) FROM daily ORDER BY day")).containsExactly(
                List.of(java.time.LocalDateTime.parse("2024-01-01T00:00"), 3L),
                List.of(java.time.LocalDateTime.parse("2024-01-02T00:00"), 36L));
        assertThat(rows(sluice, "SELECT interval_start, state, run_id FROM sluice.intervals WHERE model = 'main.daily' "
                + "ORDER BY 1")).containsExactly(
                        List.of(java.time.LocalDateTime.parse("2024-01-01T00:00"), "processed", run1),
                        List.of(java.time.LocalDateTime.parse("2024-01-02T00:00"), "reprocessed", second.runId()));
        // Hour 05 of day 1 refused its late row: late-closed, still built by run 1.
        assertThat(rows(sluice, "SELECT state, run_id, rows FROM sluice.intervals WHERE model = 'main.hourly' "
                + "AND interval_start = TIMESTAMP '2024-01-01 05:00'")).containsExactly(List.of("late-closed", run1, 1L));
        assertThat(rows(sluice, "SELECT interval_start, disposition, rows, arrival_run FROM sluice.late_rows "
                + "ORDER BY interval_start")).containsExactly(
                        List.of(java.time.LocalDateTime.parse("2024-01-01T05:00"), "quarantined", 1L, second.runId()),
                        List.of(java.time.LocalDateTime.parse("2024-01-02T23:00"), "rebuilt", 1L, second.runId()));
        assertThat(rows(sluice, "SELECT intervals_processed, intervals_rebuilt, late_within, late_quarantined, "
                + "late_dropped, complete_until FROM sluice.window_runs WHERE model = 'main.hourly' AND run_id = "
                + second.runId())).containsExactly(List.of(2L, 1L, 1L, 1L, 0L,
                        java.time.LocalDateTime.parse("2024-01-03T02:00")));

        // Run 3: nothing new, nothing rebuilt.
        RunResult third = sluice.run(RunOptions.defaults());
        assertThat(third.model("hourly").get().reason()).startsWith("up to date: no complete interval pending");
        assertThat(third.model("hourly").get().status()).isEqualTo(ModelStatus.UP_TO_DATE);
        assertThat(third.model("hourly").get().rows())
                .isEqualTo(rows(sluice, "SELECT count(*) FROM main.hourly").get(0).get(0));
        assertThat(third.model("daily").get().reason()).contains("up to date");
        assertThat(third.model("daily").get().status()).isEqualTo(ModelStatus.UP_TO_DATE);
    }

    private static final String LATE_FILE = """
            5,2024-01-03 02:00:00,16
            6,2024-01-02 23:30:00,32
            7,2024-01-01 05:30:00,64
            """;

    @Test
    void beyondLatenessDropIsCountedAndRecordedNeverRead() throws Exception {
        Path project = project("drop");
        Sluice sluice = firstRun(project);
        file(project, "b.csv", LATE_FILE);
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.model("hourly").get().reason())
                .contains("late rows: 1 within lateness (rebuilt), 1 beyond lateness, dropped");
        assertThat(number(sluice, "SELECT amount FROM hourly WHERE hour = TIMESTAMP '2024-01-01 05:00'")).isEqualTo(2);
        assertThat(number(sluice, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'hourly__late'"))
                .isZero();
        assertThat(rows(sluice, "SELECT disposition, rows, lateness_seconds FROM sluice.late_rows WHERE interval_start "
                + "= TIMESTAMP '2024-01-01 05:00'")).containsExactly(List.of("dropped", 1L, 158400.0));
        // A restatement of the whole first day leaves the dropped row out: it stays dropped.
        sluice.backfill(Backfill.parse("hourly", "2024-01-01", "2024-01-02"));
        assertThat(number(sluice, "SELECT amount FROM hourly WHERE hour = TIMESTAMP '2024-01-01 05:00'")).isEqualTo(2);
    }

    @Test
    void beyondLatenessReprocessRebuildsAnyway() throws Exception {
        Path project = project("reprocess");
        Sluice sluice = firstRun(project);
        file(project, "b.csv", LATE_FILE);
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.model("hourly").get().reason())
                .contains("late rows: 1 within lateness (rebuilt), 1 beyond lateness, reprocessed")
                .contains("2 built interval(s) rebuilt [2024-01-01 05:00, 2024-01-01 06:00), [2024-01-02 23:00, "
                        + "2024-01-03 00:00)");
        assertThat(number(sluice, "SELECT amount FROM hourly WHERE hour = TIMESTAMP '2024-01-01 05:00'")).isEqualTo(66);
        assertThat(rows(sluice, "SELECT day, CAST(amount AS BIGINT) FROM daily ORDER BY day")).containsExactly(
                List.of(java.time.LocalDateTime.parse("2024-01-01T00:00"), 67L),
                List.of(java.time.LocalDateTime.parse("2024-01-02T00:00"), 36L));
        assertThat(number(sluice, "SELECT late_reprocessed FROM sluice.window_runs WHERE model = 'main.hourly' AND run_id = "
                + second.runId())).isEqualTo(1);
    }

    @Test
    void backfillRestatesARangeIdempotentlyAndCascadesUnlessAskedNot() throws Exception {
        Path project = project("quarantine");
        Sluice sluice = firstRun(project);
        String hourly = "SELECT * FROM hourly ORDER BY hour";
        String daily = "SELECT * FROM daily ORDER BY day";
        List<List<Object>> hourlyBefore = rows(sluice, hourly);
        List<List<Object>> dailyBefore = rows(sluice, daily);

        java.io.StringWriter out = new java.io.StringWriter();
        int code = dev.sluice.cli.Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(out), "backfill",
                project.toString(), "--select", "hourly", "--from", "2024-01-01 04:00", "--to", "2024-01-01 06:00");
        assertThat(code).as(out.toString()).isZero();
        Run backfill = sluice.runs(1).get(0);
        assertThat(backfill.command()).isEqualTo("backfill");
        assertThat(backfill.args()).isEqualTo("--select hourly --from 2024-01-01T04:00 --to 2024-01-01T06:00");
        List<ModelRun> models = sluice.modelRuns(backfill.runId());
        assertThat(models).extracting(ModelRun::model).containsExactlyInAnyOrder("main.hourly",
                "main.daily");
        assertThat(models.stream().filter(m -> m.model().equals("main.hourly")).findFirst().get().reason())
                .contains("backfill: restated [2024-01-01 04:00, 2024-01-01 06:00)");
        assertThat(models.stream().filter(m -> m.model().equals("main.daily")).findFirst().get().reason())
                .contains("1 built interval(s) rebuilt [2024-01-01 00:00, 2024-01-02 00:00)");
        // The restatement is recorded: the intervals it rebuilt, in the run lineage of the build.
        assertThat(rows(sluice, "SELECT inputs FROM sluice.lineage_runs WHERE run_id = " + backfill.runId()
                + " AND model = 'main.hourly'").get(0).get(0).toString())
                .startsWith("{\"intervals\":[[\"2024-01-01 04:00\",\"2024-01-01 06:00\"]]")
                // the source read only in those intervals, with the files behind it
                .contains("{\"source\":\"raw.events\",\"read\":\"intervals\",\"file_count\":")
                .contains("\"filtered_on\":\"event_ts\"");
        assertThat(rows(sluice, "SELECT interval_start, interval_end, state FROM sluice.intervals WHERE model = 'main.hourly' "
                + "AND run_id = " + backfill.runId())).containsExactly(List.of(
                        java.time.LocalDateTime.parse("2024-01-01T04:00"), java.time.LocalDateTime.parse("2024-01-01T06:00"),
                        "reprocessed"));
        assertThat(rows(sluice, hourly)).isEqualTo(hourlyBefore);
        assertThat(rows(sluice, daily)).isEqualTo(dailyBefore);

        // The same backfill again gives the same tables; without cascade daily is not touched.
        RunResult again = sluice.backfill(Backfill.parse("hourly", "2024-01-01 04:00", "2024-01-01 06:00")
                .withoutCascade());
        assertThat(again.models()).extracting(ModelResult::model).containsExactly("hourly");
        assertThat(rows(sluice, hourly)).isEqualTo(hourlyBefore);
        assertThat(rows(sluice, daily)).isEqualTo(dailyBefore);
        // The next run catches daily up: its first day reads hours rebuilt after it was built.
        RunResult next = sluice.run(RunOptions.defaults());
        assertThat(next.model("daily").get().reason()).contains("1 built interval(s) rebuilt [2024-01-01 00:00, "
                + "2024-01-02 00:00)");
        assertThat(next.model("hourly").get().reason()).contains("up to date");
        assertThat(rows(sluice, daily)).isEqualTo(dailyBefore);
    }

    @Test
    void backfillRefusesWhatItCannotDo() throws Exception {
        Path project = project("quarantine");
        ProjectFixture.at(project).write("models/plain.sql", "SELECT 1 AS one");
        Sluice sluice = firstRun(project);
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(SluiceException.class,
                () -> sluice.backfill(Backfill.parse("plain", "2024-01-01", "2024-01-02"))))
                .hasMessageContaining("Cannot backfill plain (models/plain.sql): it is not a windowed model");
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(SluiceException.class,
                () -> sluice.backfill(Backfill.parse("nothing", "2024-01-01", "2024-01-02"))))
                .hasMessageContaining("Cannot backfill 'nothing': the project has no such model");
        // A range with no built interval restates nothing, and says so.
        java.io.StringWriter out = new java.io.StringWriter();
        int code = dev.sluice.cli.Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(out), "backfill",
                project.toString(), "--select", "hourly", "--from", "2020-01-01", "--to", "2020-01-02", "--no-cascade");
        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).contains("backfill: nothing restated: no interval of hourly from 2020-01-01T00:00 "
                + "to 2020-01-02T00:00 has been built (complete intervals end at ");
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(SluiceException.class,
                () -> Backfill.parse("hourly", "yesterday", "2024-01-02")))
                .hasMessage("Cannot backfill hourly: --from 'yesterday' is not a date or time; write 2024-01-01, "
                        + "'2024-01-01 06:00' (UTC) or 2024-01-01T06:00:00+02:00");
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(SluiceException.class,
                () -> Backfill.parse("hourly", "2024-01-02", "2024-01-01T00:00:00+00:00")))
                .hasMessageContaining("--to 2024-01-01T00:00 is not after --from 2024-01-02T00:00");
        // A warehouse whose catalog predates windows (V6 and its tables absent) has none to show.
        try (dev.sluice.engine.duckdb.DuckDbEngine engine = dev.sluice.engine.duckdb.DuckDbEngine.open(
                sluice.project().warehouse(), 0, null); dev.sluice.engine.Session session = engine.session()) {
            session.execute("DROP TABLE sluice.intervals; DROP TABLE sluice.late_rows; DROP TABLE sluice.window_runs; "
                    + "DROP TABLE sluice.arrival_lateness; DELETE FROM sluice.schema_version WHERE version = 6");
        }
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(SluiceException.class, sluice::windows))
                .hasMessageContaining("its catalog predates time windows; run the pipeline once with this Sluice");
    }

    /**
     * A late row loaded together with newer rows is judged against the newest of them: the advice counts it so, and
     * never says a lateness would have caught a row that this very lateness quarantined.
     */
    @Test
    void theRecommendationAgreesWithWhatTheRunQuarantined() throws Exception {
        Path project = project("quarantine");
        ProjectFixture.at(project).write("models/hourly.sql", Files.readString(project.resolve("models/hourly.sql"))
                .replace("lateness: 3 hours", "lateness: 1 day"));
        Sluice sluice = firstRun(project);
        // Both rows are behind 2024-01-03 00:30, seen before (by 1h20 and 22h20), but loaded with an event of
        // 2024-01-03 10:00: the first is 10 hours after its hour's end (rebuilt), the second 31 hours (quarantined).
        file(project, "b.csv", """
                5,2024-01-02 23:10:00,16
                6,2024-01-02 02:10:00,32
                7,2024-01-03 10:00:00,64
                """);
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(rows(sluice, "SELECT late_quarantined FROM sluice.window_runs WHERE model = 'main.hourly' AND "
                + "run_id = " + second.runId())).containsExactly(List.of(1L));
        LatenessAdvice advice = sluice.windows().advice().stream().filter(a -> a.model().equals("hourly"))
                .findFirst().get();
        assertThat(advice.lateRows()).isEqualTo(2);
        assertThat(advice.options()).contains(new LatenessAdvice.Option("1 day", 0.5));
        assertThat(advice.recommended()).isEqualTo(new LatenessAdvice.Option("2 days", 1.0));
    }

    /**
     * The arrivals of a source only one windowed model reads are measured in that model's transaction: a build that
     * fails to commit leaves them unmeasured, and the next run measures the same load, once, as an uninterrupted run.
     */
    @Test
    void aFailedBuildLeavesItsLoadUnmeasuredAndTheNextRunMeasuresItOnce() throws Exception {
        Path project = project("quarantine");
        Sluice sluice = firstRun(project);
        file(project, "b.csv", LATE_FILE);
        FaultPoints.arm(FaultPoints.COMMIT, (model, session) -> {
            throw new SluiceException(ErrorCode.RUN_FAILED, "IO Error: No space left on device");
        });
        RunResult failed;
        try {
            failed = sluice.run(RunOptions.defaults());
        } finally {
            FaultPoints.disarm(FaultPoints.COMMIT);
        }
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.model("hourly").get().error()).contains("No space left on device");
        assertThat(number(sluice, "SELECT count(*) FROM sluice.arrival_lateness WHERE run_id = " + failed.runId()))
                .isZero();

        RunResult next = sluice.run(RunOptions.defaults());
        assertThat(next.succeeded()).as(next.toString()).isTrue();
        // the figures an uninterrupted run records for this load (windowsShowsIntervalsLateRows... below)
        assertThat(rows(sluice, "SELECT run_id, rows, late_rows, p50_seconds, max_seconds FROM sluice.arrival_lateness "
                + "WHERE run_id > 1")).containsExactly(List.of(failed.runId(), 3L, 2L, 84600.0, 160200.0));
    }

    @Test
    void windowsShowsIntervalsLateRowsAndRecommendsALatenessFromMeasuredLags() throws Exception {
        Path project = project("quarantine");
        Sluice sluice = firstRun(project);
        file(project, "b.csv", LATE_FILE);
        RunResult second = sluice.run(RunOptions.defaults());
        // Run 2 loaded 3 rows; 2 arrived behind the greatest event time seen before (2024-01-03 00:30), and are
        // judged against the newest event of their load (2024-01-03 02:00): by 2.5 hours (event 6) and by 44.5 hours
        // (event 7).
        assertThat(rows(sluice, "SELECT rows, late_rows, p50_seconds, max_seconds FROM sluice.arrival_lateness "
                + "WHERE run_id = " + second.runId())).containsExactly(List.of(3L, 2L, 84600.0, 160200.0));
        WindowReport report = sluice.windows();
        LatenessAdvice advice = report.advice().stream().filter(a -> a.model().equals("hourly")).findFirst().get();
        assertThat(advice.lateRows()).isEqualTo(2);
        assertThat(advice.current()).isEqualTo("3 hours");
        assertThat(advice.recommended()).isEqualTo(new LatenessAdvice.Option("2 days", 1.0));
        assertThat(advice.options()).contains(new LatenessAdvice.Option("1 hour", 0.0),
                new LatenessAdvice.Option("6 hours", 0.5), new LatenessAdvice.Option("1 day", 0.5));

        java.io.StringWriter out = new java.io.StringWriter();
        int code = dev.sluice.cli.Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(out), "windows",
                project.toString(), "--recommend");
        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).contains("late-closed").contains("quarantined")
                .contains("hourly, raw.events.event_ts (event clock): lateness now 3 hours; 2 late rows measured")
                .contains("lateness 2 days     would have caught 100.00% of late rows   <- recommended");
    }

    /**
     * A year of readings with UTC offsets, one a day at 23:30 local time two hours behind UTC (so at 01:30 UTC the
     * next day), plus one on the night Europe leaves winter time: a first run builds all 366 daily intervals of 2024
     * in batches of 30, each day cut in UTC.
     */
    @Test
    void aFirstRunOverALongHistoryBuildsInBatchesAndCutsDaysInUtc() throws Exception {
        Path project = ProjectFixture.copyTo("window_long_history", dir.resolve("tz")).root();
        StringBuilder csv = new StringBuilder("id,ts,v\n");
        java.time.LocalDate day = java.time.LocalDate.parse("2024-01-01");
        for (int i = 0; i < 366; i++) {
            csv.append(i).append(',').append(day.plusDays(i)).append(" 23:30:00-02:00,1\n");
        }
        csv.append("1000,2024-03-31 01:30:00+01:00,100\n");
        ProjectFixture.at(project).write("data/readings.csv", csv.toString());
        Sluice sluice = Sluice.open(project);
        RunResult run = sluice.run(RunOptions.defaults());
        assertThat(run.succeeded()).as(run.toString()).isTrue();
        assertThat(run.model("daily_readings").get().reason())
                .contains("366 pending interval(s) built [2024-01-01 00:00, 2025-01-01 00:00)");
        // 2024-01-01 is empty in UTC; 2024-03-31 holds its own reading (00:30 UTC) and that of 03-30 (01:30 UTC).
        assertThat(number(sluice, "SELECT count(*) FROM daily_readings")).isEqualTo(365);
        assertThat(number(sluice, "SELECT min(timezone('UTC', day))::DATE - DATE '2024-01-01' FROM daily_readings"))
                .isEqualTo(1);
        assertThat(rows(sluice, "SELECT n, CAST(v AS BIGINT) FROM daily_readings WHERE timezone('UTC', day) = "
                + "TIMESTAMP '2024-03-31 00:00'")).containsExactly(List.of(2L, 101L));
        assertThat(number(sluice, "SELECT count(DISTINCT batch_start) FROM daily_readings")).isEqualTo(13);
        assertThat(rows(sluice, "SELECT batch_start FROM daily_readings WHERE timezone('UTC', day) = "
                + "TIMESTAMP '2024-02-05 00:00'")).containsExactly(List.of(java.time.LocalDateTime.parse("2024-01-31T00:00")));
        assertThat(rows(sluice, "SELECT intervals, rows FROM sluice.intervals WHERE model = 'main.daily_readings'"))
                .containsExactly(List.of(366L, 365L));
    }

    /** Sales by day with a rolling three-day sum (lookback 2 days) and a quality rule: the rolling_sales scenario. */
    private Path rollingProject() {
        return ProjectFixture.copy("rolling_sales", dir).root();
    }

    @Test
    void aRollingWindowWidensTheRebuildByItsLookbackAndAFailedBuildChangesNothing() throws Exception {
        Path project = rollingProject();
        file(project, "a.csv", """
                1,2024-01-01 10:00:00,1
                2,2024-01-02 10:00:00,2
                3,2024-01-03 10:00:00,4
                4,2024-01-04 10:00:00,8
                5,2024-01-05 10:00:00,16
                6,2024-01-06 00:00:00,32
                """.replace("\n", "\n"));
        Sluice sluice = Sluice.open(project);
        RunResult first = sluice.run(RunOptions.defaults());
        assertThat(first.succeeded()).as(first.toString()).isTrue();
        String table = "SELECT day, amount_3d FROM rolling ORDER BY day";
        assertThat(rows(sluice, table)).extracting(r -> r.get(1)).containsExactly(1L, 3L, 7L, 14L, 28L);

        // A late sale on day 2 (beyond lateness 0: reprocessed) changes days 2, 3 and 4, not day 5.
        file(project, "b.csv", "7,2024-01-02 12:00:00,64\n");
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.model("rolling").get().reason())
                .contains("3 built interval(s) rebuilt [2024-01-02 00:00, 2024-01-05 00:00)")
                .contains("late rows: 1 beyond lateness, reprocessed");
        assertThat(rows(sluice, table)).extracting(r -> r.get(1)).containsExactly(1L, 67L, 71L, 78L, 28L);
        assertThat(rows(sluice, "SELECT interval_start, run_id FROM sluice.intervals WHERE model = 'main.rolling' ORDER BY 1"))
                .containsExactly(List.of(java.time.LocalDateTime.parse("2024-01-01T00:00"), first.runId()),
                        List.of(java.time.LocalDateTime.parse("2024-01-02T00:00"), second.runId()),
                        List.of(java.time.LocalDateTime.parse("2024-01-05T00:00"), first.runId()));

        // A late sale that breaks the gate: nothing is published, interval states and checkpoints stay as they were.
        List<List<Object>> intervals = rows(sluice, "SELECT * FROM sluice.intervals ORDER BY ALL");
        List<List<Object>> checkpoints = rows(sluice, "SELECT * FROM sluice.checkpoints ORDER BY ALL");
        file(project, "c.csv", "8,2024-01-03 12:00:00,5000\n");
        RunResult third = sluice.run(RunOptions.defaults());
        assertThat(third.model("rolling").get().status()).isEqualTo(ModelStatus.FAILED);
        assertThat(third.model("rolling").get().error()).contains("Cannot publish model rolling")
                .contains("range(amount_3d)");
        assertThat(rows(sluice, table)).extracting(r -> r.get(1)).containsExactly(1L, 67L, 71L, 78L, 28L);
        assertThat(rows(sluice, "SELECT * FROM sluice.intervals ORDER BY ALL")).isEqualTo(intervals);
        assertThat(rows(sluice, "SELECT * FROM sluice.checkpoints ORDER BY ALL")).isEqualTo(checkpoints);
        assertThat(number(sluice, "SELECT count(*) FROM sluice.late_rows WHERE run_id = " + third.runId())).isZero();
    }

    @Test
    void onTheProcessingClockLatenessCountsFromNow() throws Exception {
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        Path project = dir.resolve("clock");
        ProjectFixture.at(project).write("sluice.yml", """
                name: clock
                warehouse: target/clock.duckdb
                sources:
                  raw.events:
                    type: files
                    path: data/*.csv
                    header: true
                    columns: { event_id: BIGINT, event_ts: TIMESTAMP, amount: BIGINT }
                    change_detection: manifest
                """);
        ProjectFixture.at(project).write("models/per_day.sql", """
                /*---
                materialized: incremental
                time: { column: day, input_column: event_ts, grain: 1 day, start: %s, lateness: 1 day,
                        late_policy: drop, clock: processing }
                ---*/
                SELECT CAST(date_trunc('day', event_ts) AS TIMESTAMP) AS day, CAST(sum(amount) AS BIGINT) AS amount
                FROM raw.events GROUP BY 1
                """.formatted(today.minusDays(3)));
        file(project, "a.csv", "1," + today.minusDays(3) + " 10:00:00,1\n2," + today.minusDays(1) + " 10:00:00,2\n");
        Sluice sluice = Sluice.open(project);
        RunResult first = sluice.run(RunOptions.defaults());
        // The three days before today are complete on the wall clock, though no event came after them.
        assertThat(first.model("per_day").get().reason()).contains("3 pending interval(s) built");
        // Yesterday ended less than a day ago: within lateness. Three days ago ended two days ago: dropped.
        file(project, "b.csv", "3," + today.minusDays(3) + " 11:00:00,4\n4," + today.minusDays(1) + " 11:00:00,8\n");
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.model("per_day").get().reason())
                .contains("late rows: 1 within lateness (rebuilt), 1 beyond lateness, dropped");
        assertThat(rows(sluice, "SELECT amount FROM per_day ORDER BY day")).containsExactly(List.of(1L), List.of(10L));
        assertThat(rows(sluice, "SELECT clock, late_rows FROM sluice.arrival_lateness WHERE run_id = "
                + second.runId())).containsExactly(List.of("processing", 2L));
    }

    /** The README's walk through sql/examples/windows, on a copy. */
    @Test
    void theWindowsExampleRunsAsTheReadmeSays() throws Exception {
        Path example = ProjectFixture.example("windows", dir).root();
        Path incoming = Files.createDirectories(example.resolve("target/incoming"));
        Files.copy(example.resolve("data/day1.csv"), incoming.resolve("day1.csv"));
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.PrintWriter writer = new java.io.PrintWriter(out);
        assertThat(dev.sluice.cli.Main.run(writer, writer, "run", example.toString())).as(out.toString()).isZero();
        Sluice sluice = Sluice.open(example);
        assertThat(number(sluice, "SELECT count(*) FROM daily")).isEqualTo(1);
        Files.copy(example.resolve("data/day2.csv"), incoming.resolve("day2.csv"));
        Files.setLastModifiedTime(incoming.resolve("day2.csv"), FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(dev.sluice.cli.Main.run(writer, writer, "plan", example.toString())).as(out.toString()).isZero();
        assertThat(out.toString()).contains("late rows: [2024-01-01 10:00, 2024-01-01 11:00) 1 of raw.events beyond "
                + "lateness: quarantined to hourly__late, [2024-01-01 23:00, 2024-01-02 00:00) 1 of raw.events within "
                + "lateness: rebuilt");
        assertThat(dev.sluice.cli.Main.run(writer, writer, "run", example.toString())).as(out.toString()).isZero();
        assertThat(out.toString()).contains("         late rows: 1 within lateness (rebuilt), 1 beyond lateness, "
                + "quarantined");
        assertThat(rows(sluice, "SELECT hour, events FROM hourly WHERE hour < TIMESTAMP '2024-01-02' ORDER BY hour"))
                .extracting(r -> r.get(0).toString().substring(11, 16) + "=" + r.get(1))
                .containsExactly("00:00=1", "03:00=1", "09:00=1", "10:00=1", "17:00=1", "22:00=1", "23:00=1");
        assertThat(rows(sluice, "SELECT event_id FROM hourly__late")).containsExactly(List.of(12L));
        assertThat(rows(sluice, "SELECT CAST(events AS BIGINT), CAST(amount AS VARCHAR) FROM daily"))
                .containsExactly(List.of(7L, "73.50"));
        assertThat(dev.sluice.cli.Main.run(writer, writer, "windows", example.toString(), "--recommend"))
                .as(out.toString()).isZero();
        assertThat(dev.sluice.cli.Main.run(writer, writer, "backfill", example.toString(), "--select", "hourly",
                "--from", "2024-01-01", "--to", "2024-01-01 12:00")).as(out.toString()).isZero();
        assertThat(number(sluice, "SELECT count(*) FROM hourly__late")).isEqualTo(1);
        assertThat(out.toString()).contains("hourly, raw.events.event_ts (event clock): lateness now 1 day; 2 late rows "
                + "measured");
    }

    @Test
    void aChangedModelARefreshOrRetractedRowsRebuildEveryInterval() throws Exception {
        Path project = project("reprocess");
        Sluice sluice = firstRun(project);
        ProjectFixture.at(project).write("models/hourly.sql", Files.readString(project.resolve("models/hourly.sql"))
                .replace("lateness: 3 hours", "lateness: 4 hours"));
        Sluice changed = Sluice.open(project);
        RunResult second = changed.run(RunOptions.defaults());
        assertThat(second.model("hourly").get().reason()).contains("rebuilt in full: the model changed since its last "
                + "build").contains("48 pending interval(s) built");
        // Every interval of daily is rebuilt after it, as everything upstream of it changed.
        assertThat(second.model("daily").get().reason()).contains("2 built interval(s) rebuilt");
        assertThat(rows(changed, "SELECT count(*), sum(rows) FROM sluice.intervals WHERE model = 'main.hourly'"))
                .containsExactly(List.of(1L, java.math.BigInteger.valueOf(3)));

        RunResult refreshed = changed.run(RunOptions.defaults().withFullRefresh());
        assertThat(refreshed.model("hourly").get().reason()).contains("full refresh requested");

        ProjectFixture.at(project).write("sluice.yml", Files.readString(project.resolve("sluice.yml"))
                .replace("change_detection: manifest", "change_detection: manifest\n    on_delete: retract"));
        file(project, "b.csv", "5,2024-01-03 02:00:00,16\n");
        Sluice retracting = Sluice.open(project);
        retracting.run(RunOptions.defaults());
        Files.delete(project.resolve("data/b.csv"));
        RunResult retracted = retracting.run(RunOptions.defaults());
        assertThat(retracted.model("hourly").get().reason()).contains("rebuilt in full: rows of raw.events were "
                + "replaced or retracted since run");
        assertThat(number(retracting, "SELECT count(*) FROM hourly WHERE hour = TIMESTAMP '2024-01-03 02:00'")).isZero();
        // The retraction is handled once: the next run does not rebuild in full again.
        RunResult after = retracting.run(RunOptions.defaults());
        assertThat(after.model("hourly").get().reason()).doesNotContain("rebuilt in full");
    }

    @Test
    void aTimeColumnMissingFromTheOutputOrNotATimeFailsTheModelNamingTheFile() throws Exception {
        Path project = project("reprocess");
        ProjectFixture.at(project).write("models/no_time.sql", """
                /*---
                materialized: incremental
                time: { column: ts, input_column: event_ts, grain: 1 day, start: 2024-01-01 }
                ---*/
                SELECT event_id FROM raw.events
                """);
        ProjectFixture.at(project).write("models/text_time.sql", """
                /*---
                materialized: incremental
                time: { column: ts, grain: 1 day, start: 2024-01-01 }
                ---*/
                SELECT CAST(event_ts AS VARCHAR) AS ts FROM raw.events
                """);
        file(project, "a.csv", "1,2024-01-01 00:10:00,1\n");
        RunResult run = Sluice.open(project).run(RunOptions.defaults());
        assertThat(run.model("no_time").get().error()).isEqualTo("Cannot build windowed model no_time "
                + "(models/no_time.sql): its time column 'ts' is not among its output columns (event_id); select it "
                + "or name another column in time.column");
        assertThat(run.model("text_time").get().error()).isEqualTo("Cannot build windowed model text_time "
                + "(models/text_time.sql): the time column text_time.ts is VARCHAR, not a TIMESTAMP, TIMESTAMPTZ or "
                + "DATE; cast it (CAST(x AS TIMESTAMP)) or declare the source column's type");
        assertThat(run.model("hourly").get().status()).isEqualTo(ModelStatus.SUCCESS);
    }

    @Test
    void beyondLatenessCurrentMovesRowsToTheCurrentOpenInterval() throws Exception {
        Path project = project("current");
        Sluice sluice = firstRun(project);
        file(project, "b.csv", LATE_FILE);
        assertThat(sluice.plan(RunOptions.defaults()).stream().filter(step -> step.model().equals("hourly"))
                .findFirst().get().reason()).contains("[2024-01-01 05:00, 2024-01-01 06:00) 1 of raw.events beyond "
                        + "lateness: moved to the current interval");
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.model("hourly").get().reason())
                .contains("late rows: 1 within lateness (rebuilt), 1 beyond lateness, moved to the current interval");
        // Hour 02 of day 3 is still open: event 7 (64) now counts in it, beside event 5 (16).
        assertThat(rows(sluice, "SELECT disposition, assigned_to FROM sluice.late_rows WHERE interval_start = "
                + "TIMESTAMP '2024-01-01 05:00'")).containsExactly(List.of("reassigned",
                        java.time.LocalDateTime.parse("2024-01-03T02:00")));
        assertThat(number(sluice, "SELECT late_reassigned FROM sluice.window_runs WHERE model = 'main.hourly' AND run_id = "
                + second.runId())).isEqualTo(1);
        file(project, "c.csv", "8,2024-01-03 03:10:00,128\n");
        RunResult third = sluice.run(RunOptions.defaults());
        assertThat(third.model("hourly").get().reason()).contains("1 pending interval(s) built [2024-01-03 02:00, "
                + "2024-01-03 03:00)");
        assertThat(rows(sluice, "SELECT hour, events, CAST(amount AS BIGINT) FROM hourly WHERE hour IN "
                + "(TIMESTAMP '2024-01-01 05:00', TIMESTAMP '2024-01-03 02:00') ORDER BY hour")).containsExactly(
                        List.of(java.time.LocalDateTime.parse("2024-01-01T05:00"), 1L, 2L),
                        List.of(java.time.LocalDateTime.parse("2024-01-03T02:00"), 2L, 80L));
        // Restating both hours keeps the row where it was moved to.
        sluice.backfill(Backfill.parse("hourly", "2024-01-01", "2024-01-04"));
        assertThat(rows(sluice, "SELECT hour, events, CAST(amount AS BIGINT) FROM hourly WHERE hour IN "
                + "(TIMESTAMP '2024-01-01 05:00', TIMESTAMP '2024-01-03 02:00') ORDER BY hour")).containsExactly(
                        List.of(java.time.LocalDateTime.parse("2024-01-01T05:00"), 1L, 2L),
                        List.of(java.time.LocalDateTime.parse("2024-01-03T02:00"), 2L, 80L));
    }

    /**
     * Two sources with their own event clocks: files and a table of another DuckDB file read by a watermark (with an
     * overlap, so that late rows below the watermark are seen). Intervals wait for the slowest source; each late row
     * is judged against its own source's clock.
     */
    @Test
    void eachSourceHasItsOwnClockAndTheSlowestHoldsTheIntervalsBack() throws Exception {
        Path project = ProjectFixture.copyTo("window_clock_per_source", dir.resolve("two")).root();
        java.util.function.Consumer<String> app = sql -> {
            try (dev.sluice.engine.duckdb.DuckDbEngine engine = dev.sluice.engine.duckdb.DuckDbEngine.open(
                    project.resolve("data/app.duckdb"), 0, null);
                    dev.sluice.engine.Session session = engine.session()) {
                session.execute(sql);
            }
        };
        app.accept("CREATE TABLE events AS SELECT * FROM (VALUES (1, TIMESTAMP '2024-01-01 00:20'), "
                + "(2, TIMESTAMP '2024-01-01 02:30')) AS t(id, ts)");
        ProjectFixture.at(project).write("data/a.csv", "id,ts\n1,2024-01-01 00:10:00\n2,2024-01-01 04:30:00\n");
        Sluice sluice = Sluice.open(project);
        RunResult first = sluice.run(RunOptions.defaults());
        assertThat(first.succeeded()).as(first.toString()).isTrue();
        // The app source has reached 02:30 only: hours 00 and 01 are complete, not 02 to 04.
        assertThat(first.model("per_hour").get().reason()).contains("2 pending interval(s) built [2024-01-01 00:00, "
                + "2024-01-01 02:00)");

        Path later = ProjectFixture.at(project).write("data/b.csv", "id,ts\n3,2024-01-01 00:50:00\n");
        Files.setLastModifiedTime(later, FileTime.from(Instant.now().plusSeconds(10)));
        app.accept("INSERT INTO events VALUES (3, TIMESTAMP '2024-01-01 00:40'), (4, TIMESTAMP '2024-01-01 06:00')");
        RunResult second = sluice.run(RunOptions.defaults());
        // Hour 00 accepts late rows until 05:00: the web source's clock reads 04:30 (within), the app's 06:00 (beyond).
        assertThat(second.model("per_hour").get().reason()).contains("2 pending interval(s) built [2024-01-01 02:00, "
                + "2024-01-01 04:00)").contains("late rows: 1 within lateness (rebuilt), 1 beyond lateness, dropped");
        assertThat(rows(sluice, "SELECT source, disposition FROM sluice.late_rows ORDER BY source")).containsExactly(
                List.of("app.events", "dropped"), List.of("raw.web", "rebuilt"));
        assertThat(rows(sluice, "SELECT events FROM per_hour WHERE hour = TIMESTAMP '2024-01-01 00:00'"))
                .containsExactly(List.of(3L));
    }
}
