package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

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
     * Events arrive as CSV files; {@code hourly} sums them per hour (lateness 3 hours on the event clock),
     * {@code daily} sums {@code hourly} per day.
     */
    private Path project(String policy) {
        Path project = dir.resolve("win");
        TestProjects.write(project, "sluice.yml", """
                name: win
                warehouse: target/win.duckdb
                sources:
                  raw.events:
                    type: files
                    path: data/*.csv
                    header: true
                    columns: { event_id: BIGINT, event_ts: TIMESTAMP, amount: BIGINT }
                    change_detection: manifest
                """);
        TestProjects.write(project, "models/hourly.sql", """
                /*---
                materialized: incremental
                time: { column: hour, input_column: event_ts, grain: 1 hour, start: 2024-01-01, lateness: 3 hours,
                        late_policy: %s }
                ---*/
                SELECT date_trunc('hour', event_ts) AS hour, count(*) AS events, sum(amount) AS amount
                FROM raw.events
                GROUP BY 1
                """.formatted(policy));
        TestProjects.write(project, "models/daily.sql", """
                /*---
                materialized: incremental
                time: { column: day, grain: 1 day, start: 2024-01-01 }
                ---*/
                SELECT CAST(date_trunc('day', hour) AS TIMESTAMP) AS day, sum(events) AS events, sum(amount) AS amount
                FROM hourly
                WHERE hour >= ${window_start} AND hour < ${window_end}
                GROUP BY 1
                """);
        return project;
    }

    private static void file(Path project, String name, String rows) throws Exception {
        Path file = TestProjects.write(project, "data/" + name, "event_id,event_ts,amount\n" + rows);
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
                + "FROM sluice.intervals WHERE model = 'hourly'")).containsExactly(List.of(
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
        assertThat(rows(sluice, "SELECT interval_start, state, run_id FROM sluice.intervals WHERE model = 'daily' "
                + "ORDER BY 1")).containsExactly(
                        List.of(java.time.LocalDateTime.parse("2024-01-01T00:00"), "processed", run1),
                        List.of(java.time.LocalDateTime.parse("2024-01-02T00:00"), "reprocessed", second.runId()));
        // Hour 05 of day 1 refused its late row: late-closed, still built by run 1.
        assertThat(rows(sluice, "SELECT state, run_id, rows FROM sluice.intervals WHERE model = 'hourly' "
                + "AND interval_start = TIMESTAMP '2024-01-01 05:00'")).containsExactly(List.of("late-closed", run1, 1L));
        assertThat(rows(sluice, "SELECT interval_start, disposition, rows, arrival_run FROM sluice.late_rows "
                + "ORDER BY interval_start")).containsExactly(
                        List.of(java.time.LocalDateTime.parse("2024-01-01T05:00"), "quarantined", 1L, second.runId()),
                        List.of(java.time.LocalDateTime.parse("2024-01-02T23:00"), "rebuilt", 1L, second.runId()));
        assertThat(rows(sluice, "SELECT intervals_processed, intervals_rebuilt, late_within, late_quarantined, "
                + "late_dropped, complete_until FROM sluice.window_runs WHERE model = 'hourly' AND run_id = "
                + second.runId())).containsExactly(List.of(2L, 1L, 1L, 1L, 0L,
                        java.time.LocalDateTime.parse("2024-01-03T02:00")));

        // Run 3: nothing new, nothing rebuilt.
        RunResult third = sluice.run(RunOptions.defaults());
        assertThat(third.model("hourly").get().reason()).contains("up to date: no complete interval pending");
        assertThat(third.model("daily").get().reason()).contains("up to date");
    }
}
