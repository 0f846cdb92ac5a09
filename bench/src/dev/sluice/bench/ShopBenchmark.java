package dev.sluice.bench;

import dev.sluice.Sluice;
import dev.sluice.connect.SourceSql;
import dev.sluice.engine.Sql;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Source;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The shop pipeline of issue 16 at scale: an orders CSV of {@code --gb} GB (with small customers and products CSVs)
 * typed into {@code staging.stg_orders} and aggregated by three marts (two joins), run by Sluice with default settings
 * through the public API against raw DuckDB running the same statements. Each side runs in a child JVM of its own
 * (same heap limit), which reports its time (from before {@code Sluice.open} or the first connection, to the end of
 * the run) and its peak resident memory ({@code VmHWM} of {@code /proc/self/status}: the JVM and DuckDB together).
 * The raw side reads the CSV files where they are (each source a view over {@code read_csv}, as a DuckDB user writes
 * it) and creates the models' tables from their own SQL.
 */
@Command(name = "bench/run shop", mixinStandardHelpOptions = true,
        description = "Times the shop pipeline (orders CSV -> stg_orders -> joins/aggregates) in Sluice against raw "
                + "DuckDB running the same statements: time ratio and peak RSS.")
public final class ShopBenchmark implements Callable<Integer> {
    static final double TARGET_RATIO = 1.1;
    static final double TARGET_RSS = 1.2;
    /** Bytes of one generated orders line, on average (measured on the generator's output). */
    static final double ORDER_LINE_BYTES = 57.6;
    static final long CUSTOMERS = 1_000_000;
    static final long PRODUCTS = 20_000;

    @Option(names = "--gb", description = "GB of orders CSV (default ${DEFAULT-VALUE}; the issue's figure is 2.6).")
    double gb = 2.6;

    @Option(names = "--rounds", description = "Rounds; each runs both sides once, alternating who goes first "
            + "(default ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--heap", description = "Heap limit of both child JVMs (default ${DEFAULT-VALUE}).")
    String heap = "2g";

    @Option(names = "--data", description = "Folder the generated CSV files are kept in between invocations "
            + "(default target/bench-shop/<gb>).")
    Path data;

    @Option(names = "--example", description = "The pipeline folder (default ${DEFAULT-VALUE}).")
    Path example = Path.of("bench/shop");

    @Option(names = "--baseline-classes", description = "Also runs the Sluice side with these compiled core classes "
            + "in place of core/target/classes (another commit's, e.g. copied before a change) in every round: the "
            + "before and after of a change in one invocation, with their CPU ratio; implies --class-path.")
    Path baselineClasses;

    @Option(names = "--class-path", description = "Sluice's side as ShopSide on the bench class path (the API in a "
            + "JVM without the launcher's class-data-sharing archive and JIT options), as rounds 1-9 of issue 16 "
            + "measured it, and the ratio of the in-process times; by default it is `./sluice run`, as a user runs "
            + "it, and the ratio is of whole processes (JVM start included on both sides).")
    boolean classPath;

    @Option(names = "--threads", description = "defaults: threads: of the project copied (models built at once); "
            + "absent: Sluice's default.")
    Integer threads;

    @Option(names = "--raw-keeps-blocks", description = "Raw DuckDB's side first sets block_allocator_memory as "
            + "Sluice's warehouse does (freed buffer blocks kept, not returned to the system): the ratio then compares "
            + "the rest of Sluice's cost with the engine configured alike. By default raw DuckDB keeps its defaults.")
    boolean rawKeepsBlocks;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ShopBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dataFolder = data != null ? data : Path.of("target/bench-shop", String.format(Locale.ROOT, "%.2f", gb));
        generate(dataFolder.toAbsolutePath(), gb);
        Path work = Files.createTempDirectory(Path.of("target/bench-tmp").toAbsolutePath(), "shop-");
        try {
            Path project = work.resolve("project");
            Timings.copyRecursively(example, project);
            Files.createSymbolicLink(project.resolve("data"), dataFolder.toAbsolutePath());
            Files.writeString(project.resolve("sluice.yml"), "allowed_paths: [" + Sql.string(dataFolder
                    .toAbsolutePath().toString()) + "]\n", java.nio.file.StandardOpenOption.APPEND);
            if (threads != null) {
                Path yml = project.resolve("sluice.yml");
                Files.writeString(yml, Files.readString(yml).replace("\ndefaults:\n", "\ndefaults:\n  threads: "
                        + threads + "\n"));
            }
            System.out.printf(Locale.ROOT, "Shop benchmark: %s with %s of orders CSV (%s), %d rounds, child JVMs "
                    + "-Xmx%s, threads %s, in %s%n", example, Timings.bytes(Files.size(dataFolder.resolve("orders.csv"))),
                    dataFolder, rounds, heap, threads == null ? "Sluice's default" : threads, project);
            Sluice sluice = Sluice.open(project);
            Path warehouse = sluice.project().warehouse();
            Path statements = work.resolve("raw.sql");
            List<String> raw = new ArrayList<>(rawStatements(sluice));
            if (rawKeepsBlocks) {
                raw.add(0, dev.sluice.engine.duckdb.DuckDbEngine.keepFreedBlocksStatement(null));
            }
            Files.writeString(statements, String.join(STATEMENT_END, raw));
            Path rawFile = work.resolve("baseline").resolve("baseline.duckdb");

            Timings sluiceTimes = new Timings("Sluice run (default settings)");
            Timings rawTimes = new Timings(rawKeepsBlocks
                    ? "raw DuckDB (same statements, freed blocks kept as Sluice's)" : "raw DuckDB (same statements)");
            Timings baselineTimes = new Timings("Sluice run, baseline classes");
            Timings sluiceProcess = new Timings("Sluice, whole process (JVM start included)");
            Timings rawProcess = new Timings("raw DuckDB, whole process (JVM start included)");
            List<Double> sluiceCpu = new ArrayList<>();
            List<Double> rawCpu = new ArrayList<>();
            List<Double> baselineCpu = new ArrayList<>();
            List<Double> sluiceRss = new ArrayList<>();
            List<Double> rawRss = new ArrayList<>();
            Path launcher = LaunchedSides.launcher();
            // the baseline classes run on the class path: both Sluice sides are then measured the same way
            boolean launched = !classPath && baselineClasses == null && Files.isExecutable(launcher);
            if (launched) {
                LaunchedSides.prepare(launcher);
            }
            System.out.println(launched ? "Sluice's side: ./sluice run (as a user runs it); raw DuckDB's: a JVM on the "
                    + "bench class path; the ratio is of whole processes" : "Sluice's side: ShopSide on the bench class "
                    + "path; the ratio is of the in-process times");
            for (int round = 1; round <= rounds; round++) {
                Child sluiceSide = null;
                Child rawSide = null;
                for (int side = 0; side < 2; side++) {
                    // alternate who goes first, so neither always finds a warm page cache
                    if ((side == 0) == (round % 2 == 1)) {
                        sluiceSide = launched ? LaunchedSides.sluice(launcher, project, warehouse)
                                : child("sluice", project.toString(), warehouse.getParent().toString());
                    } else {
                        rawSide = launched ? LaunchedSides.raw(System.getProperty("java.class.path"), heap, rawFile,
                                statements) : child("raw", rawFile.toString(), statements.toString());
                    }
                }
                if (launched) {
                    List<String> details = new ArrayList<>(sluiceSide.details());
                    details.addAll(ShopSide.buildCosts(Sluice.open(project)));
                    sluiceSide = new Child(sluiceSide.nanos(), sluiceSide.peakKb(), sluiceSide.fileBytes(),
                            sluiceSide.cpuNanos(), details, sluiceSide.processNanos());
                }
                sluiceTimes.add(sluiceSide.nanos());
                rawTimes.add(rawSide.nanos());
                sluiceCpu.add((double) sluiceSide.cpuNanos());
                rawCpu.add((double) rawSide.cpuNanos());
                sluiceRss.add((double) sluiceSide.peakKb());
                rawRss.add((double) rawSide.peakKb());
                System.out.printf(Locale.ROOT, "round %d  Sluice %s (peak RSS %s, warehouse %s)   raw %s (peak RSS "
                        + "%s, database %s)   ratio %.3f%n", round, Timings.seconds(sluiceSide.nanos()),
                        Timings.bytes(sluiceSide.peakKb() << 10), Timings.bytes(sluiceSide.fileBytes()),
                        Timings.seconds(rawSide.nanos()), Timings.bytes(rawSide.peakKb() << 10),
                        Timings.bytes(rawSide.fileBytes()), (double) sluiceSide.nanos() / rawSide.nanos());
                System.out.printf(Locale.ROOT, "    whole process (JVM start included): Sluice %s, raw %s, ratio %.3f%n",
                        Timings.seconds(sluiceSide.processNanos()), Timings.seconds(rawSide.processNanos()),
                        (double) sluiceSide.processNanos() / rawSide.processNanos());
                sluiceProcess.add(sluiceSide.processNanos());
                rawProcess.add(rawSide.processNanos());
                sluiceSide.details().forEach(line -> System.out.println("    " + line));
                rawSide.details().forEach(line -> System.out.println("    raw: " + line));
                if (baselineClasses != null) {
                    Child baseline = childOn(baselineClassPath(), "sluice", project.toString(),
                            warehouse.getParent().toString());
                    baselineTimes.add(baseline.nanos());
                    baselineCpu.add((double) baseline.cpuNanos());
                    System.out.printf(Locale.ROOT, "round %d  baseline Sluice %s (peak RSS %s, warehouse %s), CPU %s "
                            + "against %s now%n", round, Timings.seconds(baseline.nanos()),
                            Timings.bytes(baseline.peakKb() << 10), Timings.bytes(baseline.fileBytes()),
                            Timings.seconds(baseline.cpuNanos()), Timings.seconds(sluiceSide.cpuNanos()));
                    baseline.details().forEach(line -> System.out.println("    baseline: " + line));
                }
            }
            System.out.println();
            System.out.println(sluiceTimes.summary());
            System.out.println(rawTimes.summary());
            System.out.println(sluiceProcess.summary());
            System.out.println(rawProcess.summary());
            System.out.printf(Locale.ROOT, "ratio of whole processes (medians): %.3f%n",
                    sluiceProcess.median() / rawProcess.median());
            double ratio = launched ? sluiceProcess.median() / rawProcess.median()
                    : sluiceTimes.median() / rawTimes.median();
            double rss = Timings.median(sluiceRss) / Timings.median(rawRss);
            System.out.printf(Locale.ROOT, "peak RSS (medians): Sluice %s, raw %s, ratio %.3f%n",
                    Timings.bytes((long) Timings.median(sluiceRss) << 10),
                    Timings.bytes((long) Timings.median(rawRss) << 10), rss);
            System.out.printf(Locale.ROOT, "ratio Sluice / raw DuckDB (medians, %s): %.3f%n",
                    launched ? "whole processes" : "in the process", ratio);
            System.out.printf(Locale.ROOT, "process CPU (medians): Sluice %s, raw %s, ratio %.3f%n",
                    Timings.seconds((long) Timings.median(sluiceCpu)), Timings.seconds((long) Timings.median(rawCpu)),
                    Timings.median(sluiceCpu) / Timings.median(rawCpu));
            if (baselineClasses != null) {
                System.out.println(baselineTimes.summary());
                System.out.printf(Locale.ROOT, "baseline classes: CPU %s (ratio to raw %.3f), time ratio to raw "
                        + "%.3f; now / baseline: CPU %.3f, time %.3f%n",
                        Timings.seconds((long) Timings.median(baselineCpu)),
                        Timings.median(baselineCpu) / Timings.median(rawCpu), baselineTimes.median() / rawTimes.median(),
                        Timings.median(sluiceCpu) / Timings.median(baselineCpu),
                        sluiceTimes.median() / baselineTimes.median());
            }
            System.out.printf(Locale.ROOT, "targets: time ratio <= %.2f -> %s; peak RSS ratio <= %.2f -> %s%n",
                    TARGET_RATIO, ratio <= TARGET_RATIO ? "MET" : "NOT MET", TARGET_RSS,
                    rss <= TARGET_RSS ? "MET" : "NOT MET");
            return 0;
        } finally {
            Timings.deleteRecursively(work);
        }
    }

    /**
     * The statements raw DuckDB runs: schemas, each source as a view over its files (read in place), and each model's
     * table from the model's own SQL, in plan order.
     */
    static List<String> rawStatements(Sluice sluice) {
        List<PlannedModel> planned = Internals.models(sluice);
        Set<String> schemas = new LinkedHashSet<>();
        planned.forEach(model -> schemas.add(model.model().schema()));
        List<Source> sources = Internals.project(sluice).sources();
        sources.forEach(source -> schemas.add(source.schema()));
        List<String> statements = new ArrayList<>();
        schemas.forEach(schema -> statements.add("CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(schema)));
        for (Source source : sources) {
            // the view's file paths must not depend on the working directory of the child
            String select = SourceSql.select(dev.sluice.engine.duckdb.DuckDbDialect.INSTANCE, source)
                    .replace("'data/", "'" + sluice.project().root().toAbsolutePath() + "/data/");
            statements.add("CREATE VIEW " + Sql.qualified(source.schema(), source.table()) + " AS " + select);
        }
        for (PlannedModel model : planned) {
            statements.add("CREATE TABLE " + Sql.qualified(model.model().schema(), model.name()) + " AS "
                    + model.executableSql());
        }
        return statements;
    }

    /**
     * What a child JVM reported: its time, its peak resident set, the size of the database it wrote, its process CPU
     * time.
     */
    record Child(long nanos, long peakKb, long fileBytes, long cpuNanos, List<String> details, long processNanos) {
    }

    /** Separates the statements of a raw side's statements file (a statement may span lines). */
    static final String STATEMENT_END = "\n;;\n";

    /** This JVM's class path with core's classes replaced by {@link #baselineClasses}. */
    private String baselineClassPath() {
        String separator = java.io.File.pathSeparator;
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(separator)) {
            entries.add(entry.replace('\\', '/').endsWith("core/target/classes")
                    ? baselineClasses.toAbsolutePath().toString() : entry);
        }
        if (!entries.contains(baselineClasses.toAbsolutePath().toString())) {
            throw new IllegalStateException("core/target/classes is not on the class path to replace");
        }
        return String.join(separator, entries);
    }

    private Child child(String... args) throws Exception {
        return childOn(System.getProperty("java.class.path"), args);
    }

    private Child childOn(String classPath, String... args) throws Exception {
        return runChild(classPath, heap, args);
    }

    /**
     * Runs one side ({@link ShopSide}) in a child JVM on {@code classPath} with heap limit {@code heap}; its process
     * time is measured here, from the start of the process (JVM start included) to its exit.
     */
    static Child runChild(String classPath, String heap, String... args) throws Exception {
        LaunchedSides.settle();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx" + heap,
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp",
                classPath, ShopSide.class.getName()));
        command.addAll(List.of(args));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> details = new ArrayList<>();
        String result = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("RESULT ")) {
                    result = line;
                } else {
                    details.add(line);
                }
            }
        }
        int exit = process.waitFor();
        long processNanos = System.nanoTime() - started;
        if (exit != 0 || result == null) {
            throw new IllegalStateException("the " + args[0] + " side failed (exit " + exit + "):\n"
                    + String.join("\n", details));
        }
        String[] parts = result.split(" ");
        return new Child(Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]),
                Long.parseLong(parts[4]), details, processNanos);
    }

    /**
     * Writes orders.csv (about {@code gb} GB), customers.csv and products.csv into {@code folder} with DuckDB's COPY
     * (deterministic values from hashes of the row number), unless a complete set is there already.
     */
    static void generate(Path folder, double gb) throws Exception {
        Path done = folder.resolve("COMPLETE");
        if (Files.exists(done)) {
            return;
        }
        Timings.deleteRecursively(folder);
        Files.createDirectories(folder);
        long orders = (long) (gb * 1e9 / ORDER_LINE_BYTES);
        long start = System.nanoTime();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute("COPY (SELECT i AS customer_id, 'customer_' || i AS name, "
                    + "['DE','FR','NL','ES','IT','PL','SE','AT'][1 + CAST(hash(i, 1) % 8 AS BIGINT)] AS country, "
                    + "['consumer','consumer','consumer','business','vip'][1 + CAST(hash(i, 2) % 5 AS BIGINT)] AS segment, "
                    + "DATE '2020-01-01' + CAST(CAST(hash(i, 3) % 1500  AS BIGINT)AS INTEGER) AS signup_date "
                    + "FROM range(1, " + (CUSTOMERS + 1) + ") t(i)) TO " + Sql.string(folder.resolve("customers.csv")
                    .toString()) + " (HEADER)");
            statement.execute("COPY (SELECT i AS product_id, "
                    + "['books','games','garden','kitchen','toys','tools','sports','music'][1 + CAST(hash(i, 4) % 8 AS BIGINT)] "
                    + "AS category, round(2 + (CAST(hash(i, 5) % 24800 AS BIGINT)) / 100.0, 2) AS list_price "
                    + "FROM range(1, " + (PRODUCTS + 1) + ") t(i)) TO " + Sql.string(folder.resolve("products.csv")
                    .toString()) + " (HEADER)");
            // Orders arrive in time order (an export of a shop's orders), with their ids ascending.
            statement.execute("COPY (SELECT i AS order_id, 1 + CAST(hash(i, 6) % " + CUSTOMERS + " AS BIGINT) AS customer_id, "
                    + "1 + CAST(hash(i, 7) % " + PRODUCTS + " AS BIGINT) AS product_id, "
                    + "['placed','shipped','shipped','shipped','delivered','delivered','cancelled','returned']"
                    + "[1 + CAST(hash(i, 8) % 8 AS BIGINT)] AS status, round((CAST(hash(i, 9) % 50000 AS BIGINT)) / 100.0 + 1, 2) AS amount, "
                    + "1 + CAST(hash(i, 10) % 5  AS BIGINT)AS quantity, TIMESTAMP '2023-01-01' + to_seconds(CAST(i * (63072000.0 / "
                    + orders + ") AS BIGINT)) AS ordered_at "
                    + "FROM range(1, " + (orders + 1) + ") t(i)) TO " + Sql.string(folder.resolve("orders.csv")
                    .toString()) + " (HEADER)");
        }
        Files.writeString(done, orders + " orders\n");
        System.out.printf(Locale.ROOT, "generated %,d orders (%s) in %s%n", orders,
                Timings.bytes(Files.size(folder.resolve("orders.csv"))), Timings.seconds(System.nanoTime() - start));
    }
}
