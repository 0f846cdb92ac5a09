package dev.sluice.bench;

import dev.sluice.ModelResult;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.SourceResult;
import dev.sluice.connect.SourceSql;
import dev.sluice.engine.Sql;
import dev.sluice.engine.duckdb.DuckDbDialect;
import dev.sluice.exec.BenchGates;
import dev.sluice.exec.Pipeline;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scale benchmark (issue 16): N GB of retail CSV written by a streaming generator ({@link RetailCsv}), then the
 * retail example's models (sql/examples/retail, with its quality rules) run over them as files sources, by Sluice end
 * to end and by raw DuckDB JDBC running the same statements on one connection in the same JVM, each into a fresh
 * database file, alternating. Per side: time, GB of input per minute, peak RSS of the process during that side
 * (the kernel's high-water mark, reset before each side), bytes the process wrote (the kernel's write count, spill
 * files included) and the database file's size after the run.
 */
@Command(name = "bench/run scale", mixinStandardHelpOptions = true,
        description = "Runs the retail pipeline over N GB of generated CSV: Sluice against raw DuckDB, same statements.")
public final class ScaleBenchmark implements Callable<Integer> {
    static final double TARGET_RATIO = 1.1;

    @Option(names = "--gb", description = "GB of CSV input to generate (default ${DEFAULT-VALUE}).")
    double gigabytes = 1;

    @Option(names = "--rounds", description = "Measured rounds, each running Sluice once and raw DuckDB once "
            + "(default ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--warmup", description = "Warm-up rounds, not counted (default ${DEFAULT-VALUE}).")
    int warmup = 0;

    @Option(names = "--memory-limit", description = "DuckDB memory_limit for both sides, e.g. 2GB (sluice.yml "
            + "defaults: memory_limit; raw: SET memory_limit); DuckDB's default (80%% of RAM) when absent; both spill "
            + "to the database's .tmp folder past it.")
    String memoryLimit;

    @Option(names = "--load", description = "load: of the four large sources: default (no key: read in place, as "
            + "nothing needs a copy), in_place or copy (default ${DEFAULT-VALUE}).")
    String load = "default";

    @Option(names = "--threads", description = "defaults: threads: of the generated sluice.yml (models built at "
            + "once); absent: Sluice's default.")
    Integer threads;

    @Option(names = "--no-raw", description = "Run only Sluice (for the largest sizes).")
    boolean noRaw;

    @Option(names = "--no-sluice", description = "Run only raw DuckDB (to see whether DuckDB alone fits a memory_limit "
            + "that fails a Sluice run).")
    boolean noSluice;

    @Option(names = "--steps", description = "Also print where each side's time went: Sluice's phases, each model's "
            + "build with its statistics and layout time, and each raw statement taking over 50 ms.")
    boolean steps;

    @Option(names = "--data", description = "Where generated CSV is kept and reused, one folder per size "
            + "(default ${DEFAULT-VALUE}).")
    Path data = Path.of("target/bench-scale");

    @Option(names = "--example", description = "The example whose models run (default ${DEFAULT-VALUE}).")
    Path example = Path.of("sql/examples/retail");

    public static void main(String[] args) {
        System.exit(new CommandLine(new ScaleBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long target = Math.round(gigabytes * 1e9);
        Path csv = data.toAbsolutePath().resolve(String.format(Locale.ROOT, "retail-%s-gb", gigabytes))
                .normalize();
        long generateStart = System.nanoTime();
        long inputBytes = RetailCsv.generate(csv, target);
        long generateNanos = System.nanoTime() - generateStart;
        System.out.printf(Locale.ROOT, "Scale benchmark: %s of retail CSV in %s (%s; generated or found in %s, "
                + "peak RSS so far %s)%n", Timings.bytes(inputBytes), csv, Files.readString(csv.resolve(RetailCsv.DONE))
                .strip(), Timings.seconds(generateNanos), Timings.bytes(Process.peakRss()));
        System.out.printf(Locale.ROOT, "JVM %s, %d cores, max heap %d MB, memory_limit %s, load %s, %d warm-up + "
                + "%d rounds, threads %s; %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, memoryLimit == null ? "DuckDB's default" : memoryLimit, load,
                warmup, rounds, threads == null ? "Sluice's default" : threads, Process.loadAverage());

        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bench-scale-run-");
        try {
            Path project = work.resolve("project");
            Files.createDirectories(project);
            Timings.copyRecursively(example.resolve("models"), project.resolve("models"));
            Timings.copyRecursively(example.resolve("tests"), project.resolve("tests"));
            Timings.copyRecursively(example.resolve("data"), project.resolve("data"));
            Files.writeString(project.resolve("sluice.yml"), sluiceYml(csv));

            Sluice sluice = Sluice.open(project);
            Path warehouse = sluice.project().warehouse();
            List<String> statements = rawStatements(sluice);
            System.out.printf(Locale.ROOT, "raw DuckDB runs %d statements on one connection%n%n", statements.size());

            Timings sluiceTimes = new Timings("Sluice run (end to end)");
            Timings rawTimes = new Timings("raw DuckDB (same statements)");
            List<Double> sluiceRss = new ArrayList<>();
            List<Double> rawRss = new ArrayList<>();
            Measured lastSluice = null;
            Measured lastRaw = null;
            Path rawFile = work.resolve("baseline").resolve("baseline.duckdb");
            for (int i = 0; i < warmup + rounds; i++) {
                boolean measured = i >= warmup;
                int round = measured ? i - warmup + 1 : i + 1;
                Measured run = null;
                Measured raw = null;
                if (noSluice) {
                    raw = raw(rawFile, statements, steps);
                } else if (round % 2 == 1 || noRaw) {
                    run = sluice(project, warehouse, steps);
                    raw = noRaw ? null : raw(rawFile, statements, steps);
                } else {
                    raw = raw(rawFile, statements, steps);
                    run = sluice(project, warehouse, steps);
                }
                if (run != null) {
                    System.out.printf(Locale.ROOT, "%s %d  Sluice %s  %s%n", measured ? "round  " : "warm-up", round,
                            run.describe(inputBytes), run.sources);
                    System.out.print(run.steps);
                }
                if (raw != null) {
                    System.out.printf(Locale.ROOT, "%s %d  raw    %s%n", measured ? "round  " : "warm-up", round,
                            raw.describe(inputBytes));
                    System.out.print(raw.steps);
                }
                if (measured && run != null) {
                    sluiceTimes.add(run.nanos);
                    sluiceRss.add((double) run.peakRss);
                    lastSluice = run;
                }
                if (measured) {
                    if (raw != null) {
                        rawTimes.add(raw.nanos);
                        rawRss.add((double) raw.peakRss);
                        lastRaw = raw;
                    }
                }
            }
            System.out.println();
            double gb = inputBytes / 1e9;
            if (!noSluice) {
                System.out.println(sluiceTimes.summary());
                System.out.printf(Locale.ROOT, "Sluice: %.2f GB/min (median), peak RSS median %s, wrote %s, "
                        + "warehouse %s%n", gb / (sluiceTimes.median() / 60),
                        Timings.bytes((long) Timings.median(sluiceRss)), Timings.bytes(lastSluice.written),
                        Timings.bytes(lastSluice.fileBytes));
            }
            if (!noRaw) {
                System.out.println(rawTimes.summary());
                System.out.printf(Locale.ROOT, "raw:    %.2f GB/min (median), peak RSS median %s, wrote %s, "
                        + "database %s%n", gb / (rawTimes.median() / 60),
                        Timings.bytes((long) Timings.median(rawRss)), Timings.bytes(lastRaw.written),
                        Timings.bytes(lastRaw.fileBytes));
            }
            if (!noRaw && !noSluice) {
                double ratio = sluiceTimes.median() / rawTimes.median();
                System.out.printf(Locale.ROOT, "ratio Sluice / raw DuckDB (medians): %.3f; peak RSS ratio %.2f%n",
                        ratio, Timings.median(sluiceRss) / Timings.median(rawRss));
                System.out.printf(Locale.ROOT, "target: ratio <= %.2f -> %s%n", TARGET_RATIO,
                        ratio <= TARGET_RATIO ? "MET" : "NOT MET");
            }
            return 0;
        } finally {
            Timings.deleteRecursively(work);
        }
    }

    /** The example's sluice.yml with the four synthetic sources as files sources over the generated CSV. */
    private String sluiceYml(Path csv) {
        String loadKey = switch (load) {
            case "default" -> "";
            case "in_place", "copy" -> "\n    load: " + load;
            default -> throw new CommandLine.ParameterException(new CommandLine(this),
                    "--load must be default, in_place or copy, not " + load);
        };
        StringBuilder yml = new StringBuilder("""
                name: retail
                warehouse: target/retail.duckdb
                allowed_paths: [%s]
                vars:
                  min_order_amount: 0
                  currency: EUR
                  report_start: 2024-01-01
                defaults:
                  materialized: view
                """.formatted(csv.toString()));
        if (memoryLimit != null) {
            yml.append("  memory_limit: ").append(memoryLimit).append('\n');
        }
        if (threads != null) {
            yml.append("  threads: ").append(threads).append('\n');
        }
        yml.append("sources:\n");
        for (String[] source : new String[][] {{"customers", "customers.csv"}, {"products", "products.csv"},
                {"orders", "orders/*.csv"}, {"order_items", "order_items/*.csv"}}) {
            yml.append("  raw.").append(source[0]).append(":\n    type: files\n    path: ")
                    .append(csv.resolve(source[1])).append("\n    format: csv").append(loadKey).append('\n');
            if (source[0].equals("customers")) {
                yml.append("    pii: [name]\n");
            }
        }
        yml.append("""
                  raw.returns:
                    type: files
                    path: data/returns.csv
                    format: csv
                    header: true
                    columns: { order_id: BIGINT, returned_on: DATE, reason: VARCHAR }
                    max_rejected_fraction: 0.2
                    change_detection: manifest
                    quality:
                      - not_null: [order_id, returned_on]
                """);
        return yml.toString();
    }

    /**
     * What a DuckDB user runs for the same result, in order: the memory limit, schemas, each source as Sluice loads
     * it (a view over the files, or a table copied from them with {@code --load copy} or where Sluice must copy), then
     * each model and its gate's statements. A view is not counted: a user of DuckDB does not read the files once more
     * before the models do, so whatever reading Sluice's load adds is Sluice's cost.
     */
    private List<String> rawStatements(Sluice sluice) {
        var project = Internals.project(sluice);
        List<PlannedModel> planned = Internals.models(sluice);
        Map<String, List<String>> gates = BenchGates.statements(project, new Pipeline(project, "bench").plan());
        List<String> statements = new ArrayList<>();
        if (memoryLimit != null) {
            statements.add("SET memory_limit = " + Sql.string(memoryLimit));
        }
        List<String> ignoredSources = new ArrayList<>();
        List<String> models = new ArrayList<>();
        OverheadBenchmark.statements(sluice, planned, gates, ignoredSources, models);
        Set<String> needed = new LinkedHashSet<>();
        planned.forEach(model -> needed.addAll(model.upstreamSources()));
        Set<String> schemas = new LinkedHashSet<>();
        planned.forEach(model -> schemas.add(model.model().schema()));
        List<Source> used = project.sources().stream().filter(s -> needed.contains(s.qualifiedName())).toList();
        used.forEach(source -> schemas.add(source.schema()));
        schemas.forEach(schema -> statements.add("CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(schema)));
        for (Source source : used) {
            String relation = Sql.qualified(source.schema(), source.table());
            SourceSpec.Files files = (SourceSpec.Files) source.spec();
            if (files.changeDetection() == SourceSpec.ChangeDetection.FULL && !"copy".equals(load)) {
                statements.add("CREATE VIEW " + relation + " AS " + SourceSql.select(DuckDbDialect.INSTANCE, source));
            } else {
                String rejects = "sluice_rejects_" + source.schema() + "_" + source.table();
                statements.add("CREATE TABLE " + relation + " AS "
                        + SourceSql.select(DuckDbDialect.INSTANCE, source, rejects));
            }
            statements.addAll(gates.getOrDefault(source.qualifiedName(), List.of()));
        }
        statements.addAll(models);
        return statements;
    }

    /**
     * One side's run: time, peak RSS, bytes written, the database file's size, Sluice's source loads and, with
     * {@code --steps}, where the time went (empty otherwise).
     */
    private record Measured(long nanos, long cpuNanos, long peakRss, long written, long fileBytes, String sources,
            String steps) {
        String describe(long inputBytes) {
            return String.format(Locale.ROOT, "%s (%.2f GB/min), CPU %s (%.1f CPU-s per GB), peak RSS %s, wrote %s, "
                    + "file %s", Timings.seconds(nanos), inputBytes / 1e9 / (nanos / 6e10), Timings.seconds(cpuNanos),
                    cpuNanos / 1e9 / (inputBytes / 1e9), Timings.bytes(peakRss), Timings.bytes(written),
                    Timings.bytes(fileBytes));
        }
    }

    private static Measured sluice(Path project, Path warehouse, boolean steps) throws IOException {
        Timings.deleteRecursively(warehouse.getParent());
        System.gc();
        Process.resetPeakRss();
        long written = Process.bytesWritten();
        long cpu = Process.cpuNanos();
        long start = System.nanoTime();
        Sluice sluice = Sluice.open(project);
        long opened = System.nanoTime();
        RunMarks marks = new RunMarks();
        RunResult result = sluice.run(RunOptions.defaults(), marks);
        long nanos = System.nanoTime() - start;
        cpu = Process.cpuNanos() - cpu;
        long peak = Process.peakRss();
        written = Process.bytesWritten() - written;
        if (!result.succeeded()) {
            throw new IllegalStateException("the Sluice run failed: " + result.models().stream()
                    .map(ModelResult::error).filter(e -> e != null).toList()
                    + result.sources().stream().map(SourceResult::error).filter(e -> e != null).toList());
        }
        StringBuilder sources = new StringBuilder("sources:");
        for (SourceResult source : result.sources()) {
            sources.append(' ').append(source.source()).append(' ').append(Timings.seconds(source.duration().toNanos()));
        }
        StringBuilder detail = new StringBuilder();
        if (steps) {
            long end = start + nanos;
            detail.append(String.format(Locale.ROOT, "    phases: open %s, plan and catalog %s, sources %s, models "
                    + "and after %s%n", Timings.seconds(opened - start), Timings.seconds(marks.runStarted - opened),
                    Timings.seconds(marks.firstModel - marks.runStarted), Timings.seconds(end - marks.firstModel)));
            Map<String, List<Object>> costs = new java.util.HashMap<>();
            sluice.query("SELECT model, layout_ms, statistics_ms FROM sluice.model_runs WHERE run_id = "
                    + result.runId()).rows().forEach(row -> costs.put((String) row.get(0), row));
            for (ModelResult model : result.models()) {
                List<Object> cost = costs.get(model.relation());
                detail.append(String.format(Locale.ROOT, "    model %-32s %s%s%n", model.relation(),
                        Timings.seconds(model.duration().toNanos()), cost == null || cost.get(1) == null ? ""
                                : "  (layout " + cost.get(1) + " ms, statistics " + cost.get(2) + " ms)"));
            }
        }
        return new Measured(nanos, cpu, peak, written, Process.fileBytes(warehouse), sources.toString(),
                detail.toString());
    }

    private static Measured raw(Path file, List<String> statements, boolean steps) throws Exception {
        Timings.deleteRecursively(file.getParent());
        Files.createDirectories(file.getParent());
        System.gc();
        Process.resetPeakRss();
        long written = Process.bytesWritten();
        long cpu = Process.cpuNanos();
        StringBuilder detail = new StringBuilder();
        long start = System.nanoTime();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                long begun = System.nanoTime();
                long begunCpu = Process.cpuNanos();
                statement.execute(sql);
                long took = System.nanoTime() - begun;
                if (steps && took > 50_000_000L) {
                    detail.append(String.format(Locale.ROOT, "    %s (CPU %s)  %s%n", Timings.seconds(took),
                            Timings.seconds(Process.cpuNanos() - begunCpu),
                            sql.substring(0, Math.min(90, sql.length())).replace('\n', ' ')));
                }
            }
        }
        long nanos = System.nanoTime() - start;
        return new Measured(nanos, Process.cpuNanos() - cpu, Process.peakRss(), Process.bytesWritten() - written,
                Process.fileBytes(file), "", detail.toString());
    }

    /** The process's own counters, from Linux's /proc (zero where unreadable). */
    static final class Process {
        private Process() {
        }

        /** CPU time of the whole process (every thread, DuckDB's native ones too). */
        static long cpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }

        /** The resident set's high-water mark (VmHWM), in bytes. */
        static long peakRss() {
            return status("VmHWM:");
        }

        /** Resets the high-water mark to the current resident set (Linux 4.0+: "5" to clear_refs). */
        static void resetPeakRss() {
            try {
                Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            } catch (IOException e) {
                System.out.println("(cannot reset the peak RSS: " + e.getMessage() + ")");
            }
        }

        /** Bytes written by write calls of the whole process so far ({@code wchar}: files, spills, pipes). */
        static long bytesWritten() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                    if (line.startsWith("wchar:")) {
                        return Long.parseLong(line.substring(6).strip());
                    }
                }
            } catch (IOException | RuntimeException e) {
                return 0;
            }
            return 0;
        }

        static String loadAverage() {
            try {
                return "load average " + Files.readString(Path.of("/proc/loadavg")).strip();
            } catch (IOException e) {
                return "load average unknown";
            }
        }

        /** A database file's bytes, with its write-ahead log if any. */
        static long fileBytes(Path file) {
            long bytes = 0;
            for (Path part : List.of(file, Path.of(file + ".wal"))) {
                bytes += part.toFile().length();
            }
            return bytes;
        }

        private static long status(String key) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith(key)) {
                        return Long.parseLong(line.substring(key.length()).replace("kB", "").strip()) * 1024;
                    }
                }
            } catch (IOException | RuntimeException e) {
                return 0;
            }
            return 0;
        }
    }
}
