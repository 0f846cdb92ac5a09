package dev.sluice.bench;

import static dev.sluice.bench.DetectionBenchmark.deleteTree;
import static dev.sluice.bench.Timings.median;
import static dev.sluice.bench.DetectionBenchmark.require;

import dev.sluice.ModelResult;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A year of hourly intervals (8,760) of events arriving as Parquet files, with late records in every run: the
 * incremental run (detect the late rows, rebuild only the affected hourly intervals, then the affected daily
 * intervals downstream) against a full rebuild of the same two models over the same data.
 *
 * <p>The project: a manifest-tracked source {@code raw.events} (event_id, event_ts, user_id, amount), a windowed
 * model {@code hourly} (grain 1 hour, lateness 400 days, so every late row rebuilds its hour) and a windowed model
 * {@code daily} over it. The base data is 2023 (and the first hour of 2024, which completes the last hour of 2023).
 * Each round adds one file holding the next day of events, plus late events (by default 1% of the file) with event
 * times drawn uniformly from the 7 days before it ({@code --late-within-days 365}: from the whole past year). The incremental run is timed; then a run with --full-refresh
 * rebuilds every interval of both models from the same data, and both results must be equal.
 *
 * <p>Run with {@code bench/run windows [--rows-per-hour 1000] [--rounds 5] [--late-fraction 0.01] [--late-within-days 7] [--keep]}.
 */
public final class WindowBenchmark {
    private static final LocalDateTime START = LocalDateTime.parse("2023-01-01T00:00");

    private WindowBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = DetectionBenchmark.options(args);
        long perHour = Long.parseLong(options.getOrDefault("rows-per-hour", "1000"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
        double lateFraction = Double.parseDouble(options.getOrDefault("late-fraction", "0.01"));
        int lateDays = Integer.parseInt(options.getOrDefault("late-within-days", "7"));
        boolean keep = options.containsKey("keep");
        Path dir = Path.of(options.getOrDefault("dir",
                Path.of(System.getProperty("java.io.tmpdir"), "window-bench").toString())).toAbsolutePath();
        deleteTree(dir);
        write(dir);
        System.out.printf(Locale.ROOT, "Window benchmark: 8,760 hourly intervals of 2023, %,d events per hour, %d rounds "
                + "of one new day + %.1f%% late events from the %d days before it%nFolder: %s%n%n", perHour, rounds,
                lateFraction * 100, lateDays, dir);

        // A small first file creates the source's data table in a run of its own (see INCREMENTAL.md: DuckDB keeps
        // wrong statistics for a table created and filled past one row group in one transaction).
        long nextId = 1;
        nextId = events(dir, "0000_bootstrap", nextId, START, 1, perHour, 0, 0);
        Sluice sluice = Sluice.open(dir);
        RunResult bootstrap = sluice.run(RunOptions.defaults());
        require(bootstrap.succeeded(), "the bootstrap run failed: " + bootstrap);
        long t0 = System.nanoTime();
        nextId = events(dir, "0001_year", nextId, START.plusHours(1), 8760, perHour, 0, 0);
        System.out.printf(Locale.ROOT, "Generated a year of events (%,d rows) in %.1f s%n", nextId - 1,
                (System.nanoTime() - t0) / 1e9);
        RunResult base = sluice.run(RunOptions.defaults());
        require(base.succeeded(), "the base run failed: " + base);
        print("base run (every interval of the year built)", base);

        List<Double> incremental = new ArrayList<>();
        List<Double> full = new ArrayList<>();
        List<Double> incrementalRuns = new ArrayList<>();
        List<Double> fullRuns = new ArrayList<>();
        List<Double> incrementalCpu = new ArrayList<>();
        List<Double> fullCpu = new ArrayList<>();
        boolean allEqual = true;
        LocalDateTime day = LocalDateTime.parse("2024-01-01T01:00");
        for (int round = 1; round <= rounds; round++) {
            long late = Math.round(24 * perHour * lateFraction);
            nextId = events(dir, String.format(Locale.ROOT, "%04d_round", round + 1), nextId, day, 24, perHour, late,
                    lateDays);
            day = day.plusHours(24);
            long cpu = cpuNanos();
            RunResult inc = sluice.run(RunOptions.defaults());
            double incCpu = (cpuNanos() - cpu) / 1e6;
            require(inc.succeeded(), "the incremental run failed: " + inc);
            print("round " + round + ": incremental run (+" + (24 * perHour) + " on-time, +" + late + " late rows)", inc);
            List<List<Object>> hourly = sluice.query("SELECT * FROM hourly ORDER BY ALL").rows();
            List<List<Object>> daily = sluice.query("SELECT * FROM daily ORDER BY ALL").rows();
            cpu = cpuNanos();
            RunResult refresh = sluice.run(RunOptions.defaults().withFullRefresh());
            double refreshCpu = (cpuNanos() - cpu) / 1e6;
            incrementalCpu.add(incCpu);
            fullCpu.add(refreshCpu);
            require(refresh.succeeded(), "the full refresh failed: " + refresh);
            print("round " + round + ": full rebuild (--full-refresh, same data)", refresh);
            boolean equal = hourly.equals(sluice.query("SELECT * FROM hourly ORDER BY ALL").rows())
                    && daily.equals(sluice.query("SELECT * FROM daily ORDER BY ALL").rows());
            allEqual &= equal;
            double incMs = models(inc);
            double fullMs = models(refresh);
            incremental.add(incMs);
            full.add(fullMs);
            incrementalRuns.add((double) inc.duration().toMillis());
            fullRuns.add((double) refresh.duration().toMillis());
            System.out.printf(Locale.ROOT, "round %d: detect + rebuild affected intervals %,.0f ms, full rebuild %,.0f ms "
                    + "(%.1fx); whole runs %,d ms vs %,d ms (CPU of the process, every thread: %,.0f ms vs %,.0f ms); "
                    + "incremental equals full rebuild: %s%n%n", round, incMs, fullMs, fullMs / incMs,
                    inc.duration().toMillis(), refresh.duration().toMillis(), incCpu, refreshCpu, equal ? "YES" : "NO");
        }
        long ranges = ((Number) sluice.query("SELECT count(*) FROM sluice.intervals WHERE model = 'main.hourly'").rows()
                .get(0).get(0)).longValue();
        System.out.printf(Locale.ROOT, "=== medians over %d rounds ===%n", rounds);
        System.out.printf(Locale.ROOT, "models hourly + daily, detect late rows and rebuild affected intervals: %,.0f ms; "
                + "full rebuild of both: %,.0f ms; ratio %.1fx (target >= 20x: %s)%n", median(incremental), median(full),
                median(full) / median(incremental), median(full) / median(incremental) >= 20 ? "MET" : "MISSED");
        System.out.printf(Locale.ROOT, "whole runs (planning, loading the new file, catalog): incremental %,.0f ms, full "
                + "refresh %,.0f ms; ratio %.1fx%n", median(incrementalRuns), median(fullRuns),
                median(fullRuns) / median(incrementalRuns));
        System.out.printf(Locale.ROOT, "CPU time of the process (every thread) per whole run: incremental %,.0f ms, full "
                + "refresh %,.0f ms; ratio %.1fx%n", median(incrementalCpu), median(fullCpu),
                median(fullCpu) / median(incrementalCpu));
        System.out.printf(Locale.ROOT, "interval ranges kept for hourly after the full refreshes: %d; incremental equals "
                + "full rebuild in every round: %s%n", ranges, allEqual ? "YES" : "NO");
        if (!keep) {
            deleteTree(dir);
        }
        if (!allEqual) {
            System.exit(1);
        }
    }

    private static void write(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("models"));
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("sluice.yml"), """
                name: windows
                warehouse: target/windows.duckdb
                sources:
                  raw.events:
                    type: files
                    path: data/*.parquet
                    format: parquet
                    change_detection: manifest
                """);
        Files.writeString(dir.resolve("models/hourly.sql"), """
                /*---
                materialized: incremental
                time: { column: hour, input_column: event_ts, grain: 1 hour, start: 2023-01-01, lateness: 400 days }
                ---*/
                SELECT date_trunc('hour', event_ts) AS hour, count(*) AS events, count(DISTINCT user_id) AS users,
                       sum(amount) AS amount, max(amount) AS largest
                FROM raw.events
                GROUP BY 1
                """);
        Files.writeString(dir.resolve("models/daily.sql"), """
                /*---
                materialized: incremental
                time: { column: day, grain: 1 day, start: 2023-01-01, lateness: 400 days }
                ---*/
                SELECT CAST(date_trunc('day', hour) AS TIMESTAMP) AS day, sum(events) AS events, sum(amount) AS amount,
                       max(largest) AS largest
                FROM hourly
                WHERE hour >= ${window_start} AND hour < ${window_end}
                GROUP BY 1
                """);
    }

    /**
     * Writes one Parquet file: {@code perHour} events in each of {@code hours} hours from {@code from}, plus
     * {@code late} events at random times of the {@code lateDays} days before {@code from}; returns the next event id.
     */
    private static long events(Path dir, String name, long firstId, LocalDateTime from, long hours, long perHour,
            long late, int lateDays) {
        long onTime = hours * perHour;
        String file = dir.resolve("data/" + name + ".parquet").toString();
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            session.execute("SELECT setseed(" + (0.5 / (1 + firstId % 1000)) + ")");
            session.execute("COPY (SELECT " + firstId + " + i AS event_id, " + Sql.literal(from)
                    + " + to_microseconds(CAST(i * 3600000000 // " + perHour + " AS BIGINT)) AS event_ts, "
                    + "CAST(random() * 5000 AS BIGINT) AS user_id, CAST(random() * 100 AS DECIMAL(10, 2)) AS amount "
                    + "FROM range(" + onTime + ") AS t(i) "
                    + "UNION ALL SELECT " + (firstId + onTime) + " + i, " + Sql.literal(from.minusDays(lateDays))
                    + " + to_microseconds(CAST(random() * " + lateDays + " * 86400000000 AS BIGINT)), "
                    + "CAST(random() * 5000 AS BIGINT), "
                    + "CAST(random() * 100 AS DECIMAL(10, 2)) FROM range(" + late + ") AS t(i)) TO " + Sql.string(file)
                    + " (FORMAT parquet)");
        }
        return firstId + onTime + late;
    }

    /** CPU time of this process so far, every thread (DuckDB's native ones too). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The build time of the two windowed models in a run, in milliseconds. */
    private static double models(RunResult result) {
        return result.models().stream().mapToLong(m -> m.duration().toMillis()).sum();
    }

    private static void print(String title, RunResult result) {
        System.out.printf(Locale.ROOT, "%s: %,d ms%n", title, result.duration().toMillis());
        for (ModelResult model : result.models()) {
            String reason = model.reason();
            System.out.printf(Locale.ROOT, "  %-8s %,6d ms  %s%n", model.model(), model.duration().toMillis(),
                    reason.length() > 260 ? reason.substring(0, 260) + "..." : reason);
        }
    }
}
