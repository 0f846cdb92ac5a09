package dev.sluice.bench;

import dev.sluice.ModelResult;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.SourceResult;
import dev.sluice.connect.SourceSql;
import dev.sluice.engine.Sql;
import dev.sluice.exec.BenchGates;
import dev.sluice.exec.Pipeline;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Materialization;
import dev.sluice.project.Source;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Overhead benchmark: the retail example scaled up, run by Sluice end to end and by raw DuckDB JDBC executing the
 * same SQL statements in the same JVM, alternating, into fresh database files. Both sides do the same work: every
 * source, every non-ephemeral model (the incremental one too: its first build is a full one), and either the quality
 * gates of both (the gate's scan, query-rule counts and column check after each source and model with rules) or, with
 * {@code --without-quality}, of neither. Warm-up rounds run both sides first and are not counted.
 */
@Command(name = "bench/run overhead", mixinStandardHelpOptions = true,
        description = "Times a full Sluice run of the scaled retail example against raw DuckDB running the same SQL.")
public final class OverheadBenchmark implements Callable<Integer> {
    static final double TARGET_RATIO = 1.05;
    /** Issue 16: a whole small run, start-up included, against raw DuckDB's new process. */
    static final double PROCESS_TARGET_RATIO = 1.3;
    private static final Pattern ROWS = Pattern.compile("(\\brows:\\s*)(\\d+)");
    private static final Pattern REFERENCE_MAX = Pattern.compile("(generator:\\s*reference,\\s*max:\\s*)(\\d+)");

    @Option(names = "--scale", description = "Multiplier of the synthetic sources' rows (and of reference ranges); "
            + "the default gives about 1 GB of source data as CSV (default ${DEFAULT-VALUE}).")
    double scale = 550;

    @Option(names = "--rounds", description = "Rounds; each runs Sluice once and raw DuckDB once (default ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--warmup", description = "Warm-up rounds before them, run like the others but not counted "
            + "(default ${DEFAULT-VALUE}).")
    int warmup = 1;

    @Option(names = "--without-quality", description = "Drop the example's quality rules, tests and conditions on both "
            + "sides, so that Sluice runs exactly the statements raw DuckDB runs (plus its catalog); by default both "
            + "sides run the gates.")
    boolean withoutQuality;

    @Option(names = "--example", description = "Example pipeline to scale (default ${DEFAULT-VALUE}).")
    Path example = Path.of("sql/examples/retail");

    @Option(names = "--processes", description = "Runs each side as a new process and times the whole process, JVM "
            + "start included: a whole small run as a user meets it (issue 16: --scale 13.4, about 1.1M rows, <= 1.3x "
            + "raw DuckDB). Sluice's side is `./sluice run` (the launcher jar and its class-data-sharing archive, "
            + "built by mvn -pl core package), its phases from -Dsluice.phases; raw DuckDB's a JVM on this class path "
            + "running the statements with the DuckDB driver.")
    boolean processes;

    @Option(names = "--class-path", description = "With --processes: Sluice's side on this class path too "
            + "(ShopSide: the API in a JVM without the launcher's archive), as rounds 7 and 8 measured it at first.")
    boolean classPath;

    public static void main(String[] args) {
        System.exit(new CommandLine(new OverheadBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("sluice-overhead-");
        try {
            Path project = work.resolve("project");
            Timings.copyRecursively(example, project);
            scaleSources(project.resolve("sluice.yml"), scale);
            if (withoutQuality) {
                stripQuality(project);
            }
            System.out.printf(Locale.ROOT, "Overhead benchmark: %s scaled x%s%s, %d warm-up + %d rounds, in %s%n",
                    example, scale, withoutQuality ? " without quality rules (neither side)"
                            : " with its quality rules (both sides)", warmup, rounds, project);
            System.out.printf(Locale.ROOT, "JVM %s, %d cores, max heap %d MB%n", Runtime.version(),
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

            // Outside the timed region: the statements raw DuckDB runs, from the planner (this also warms Calcite).
            Sluice sluice = Sluice.open(project);
            Path warehouse = sluice.project().warehouse();
            List<String> sourceStatements = new ArrayList<>();
            List<String> modelStatements = new ArrayList<>();
            Map<String, List<String>> gates = withoutQuality ? Map.of()
                    : BenchGates.statements(Internals.project(sluice), new Pipeline(Internals.project(sluice), "bench").plan());
            statements(sluice, Internals.models(sluice), gates, sourceStatements, modelStatements);
            System.out.printf(Locale.ROOT, "raw DuckDB runs %d source and %d model statements (%d of them quality "
                    + "gates'), in plan order, on one connection%n%n", sourceStatements.size(), modelStatements.size(),
                    gates.values().stream().mapToInt(List::size).sum());

            if (processes) {
                return inProcesses(work, project, warehouse, sourceStatements, modelStatements);
            }
            Timings sluiceTimes = new Timings("Sluice run (end to end)");
            Timings rawTimes = new Timings("raw DuckDB (same SQL)");
            Timings planTimes = new Timings("Sluice models() alone (planning)");
            Timings sluiceSources = new Timings("  Sluice source loads (sum)");
            Timings rawSources = new Timings("  raw source statements");
            Timings rawModels = new Timings("  raw model statements");
            Path rawFile = work.resolve("baseline").resolve("baseline.duckdb");
            for (int i = 0; i < warmup + rounds; i++) {
                boolean measured = i >= warmup;
                int round = measured ? i - warmup + 1 : i + 1;
                long[] raw = null;
                RunTiming run = null;
                // Alternate who goes first, so neither always finds a warm page cache or a fresh heap.
                if (round % 2 == 1) {
                    run = timeSluice(project, warehouse);
                    raw = timeRaw(rawFile, sourceStatements, modelStatements);
                } else {
                    raw = timeRaw(rawFile, sourceStatements, modelStatements);
                    run = timeSluice(project, warehouse);
                }
                long planNanos = timePlanning(project);
                System.out.printf(Locale.ROOT, "%s %d  Sluice %s (sources %s)   raw %s (sources %s, models %s)   "
                        + "planning alone %s%n", measured ? "round  " : "warm-up", round, Timings.seconds(run.total),
                        Timings.seconds(run.sources),
                        Timings.seconds(raw[0]), Timings.seconds(raw[1]), Timings.seconds(raw[2]),
                        Timings.seconds(planNanos));
                if (!measured) {
                    continue;
                }
                sluiceTimes.add(run.total);
                sluiceSources.add(run.sources);
                rawTimes.add(raw[0]);
                rawSources.add(raw[1]);
                rawModels.add(raw[2]);
                planTimes.add(planNanos);
                if (round == 1) {
                    reportSizes(rawFile, warehouse);
                }
            }
            System.out.println();
            System.out.println(sluiceTimes.summary());
            System.out.println(sluiceSources.summary());
            System.out.println(planTimes.summary());
            System.out.println(rawTimes.summary());
            System.out.println(rawSources.summary());
            System.out.println(rawModels.summary());
            double ratio = sluiceTimes.median() / rawTimes.median();
            System.out.printf(Locale.ROOT, "extra time of Sluice (median difference): %.3f s, of which planning "
                    + "about %.3f s%n", sluiceTimes.median() - rawTimes.median(), planTimes.median());
            System.out.printf(Locale.ROOT, "ratio Sluice / raw DuckDB (medians): %.3f%n", ratio);
            System.out.printf(Locale.ROOT, "target: ratio <= %.2f -> %s%n", TARGET_RATIO,
                    ratio <= TARGET_RATIO ? "MET" : "NOT MET");
            return 0;
        } finally {
            Timings.deleteRecursively(work);
        }
    }

    /**
     * Each side as a new process per round (alternating who goes first, warm-up rounds first): the whole process's
     * time from its start to its exit, its CPU time (user + system, from GNU time when the machine has it, else the
     * process's own count) and peak RSS. Sluice's side is {@code ./sluice run} unless {@link #classPath}.
     */
    private int inProcesses(Path work, Path project, Path warehouse, List<String> sources, List<String> models)
            throws Exception {
        Path statements = work.resolve("raw.sql");
        List<String> all = new ArrayList<>(sources);
        all.addAll(models);
        Files.writeString(statements, String.join(ShopBenchmark.STATEMENT_END, all));
        Path rawFile = work.resolve("baseline").resolve("baseline.duckdb");
        String benchClassPath = System.getProperty("java.class.path");
        Path launcher = LaunchedSides.launcher();
        boolean launched = !classPath && Files.isExecutable(launcher);
        if (launched) {
            // builds the jar and its archive when they are missing or older than the sources, outside the timing
            LaunchedSides.prepare(launcher);
            System.out.println("Sluice's side: ./sluice run (launcher jar" + (Files.exists(
                    Path.of("core", "target", "sluice.jsa")) ? " and its class-data-sharing archive" : ", no archive")
                    + "); raw DuckDB's: a JVM on the bench class path");
        } else {
            System.out.println("Sluice's side: ShopSide on the bench class path (no archive); raw DuckDB's: the same");
        }
        Timings sluiceTimes = new Timings("Sluice, whole process (JVM start included)");
        Timings rawTimes = new Timings("raw DuckDB, whole process (JVM start included)");
        List<Double> sluiceCpu = new ArrayList<>();
        List<Double> rawCpu = new ArrayList<>();
        Map<String, List<Double>> phases = new java.util.LinkedHashMap<>();
        for (int i = 0; i < warmup + rounds; i++) {
            boolean measured = i >= warmup;
            int round = measured ? i - warmup + 1 : i + 1;
            ShopBenchmark.Child sluiceSide = null;
            ShopBenchmark.Child rawSide = null;
            for (int side = 0; side < 2; side++) {
                // Alternate who goes first, so neither always finds a warm page cache.
                if ((side == 0) == (round % 2 == 1)) {
                    sluiceSide = launched ? LaunchedSides.sluice(launcher, project, warehouse)
                            : ShopBenchmark.runChild(benchClassPath, "2g", "sluice", project.toString(),
                                    warehouse.getParent().toString());
                } else {
                    rawSide = launched ? LaunchedSides.raw(benchClassPath, "2g", rawFile, statements)
                            : ShopBenchmark.runChild(benchClassPath, "2g", "raw", rawFile.toString(),
                                    statements.toString());
                }
            }
            System.out.printf(Locale.ROOT, "%s %d  Sluice %s (in the process %s, CPU %s, peak RSS %s)   raw %s (in the "
                    + "process %s, CPU %s, peak RSS %s)   ratio %.3f%n", measured ? "round  " : "warm-up", round,
                    Timings.seconds(sluiceSide.processNanos()), Timings.seconds(sluiceSide.nanos()),
                    Timings.seconds(sluiceSide.cpuNanos()), Timings.bytes(sluiceSide.peakKb() << 10),
                    Timings.seconds(rawSide.processNanos()), Timings.seconds(rawSide.nanos()),
                    Timings.seconds(rawSide.cpuNanos()), Timings.bytes(rawSide.peakKb() << 10),
                    (double) sluiceSide.processNanos() / rawSide.processNanos());
            sluiceSide.details().forEach(line -> System.out.println("    " + line));
            if (measured) {
                sluiceTimes.add(sluiceSide.processNanos());
                rawTimes.add(rawSide.processNanos());
                sluiceCpu.add((double) sluiceSide.cpuNanos());
                rawCpu.add((double) rawSide.cpuNanos());
                sluiceSide.details().stream().filter(line -> line.startsWith(LaunchedSides.PHASES)).findFirst()
                        .ifPresent(line -> addPhases(line, phases));
            }
        }
        System.out.println();
        System.out.println(sluiceTimes.summary());
        if (!phases.isEmpty()) {
            StringBuilder line = new StringBuilder("  its phases (median ms, -Dsluice.phases):");
            phases.forEach((phase, times) -> line.append(' ').append(phase).append('=')
                    .append(Math.round(Timings.median(times))));
            System.out.println(line);
        }
        System.out.println(rawTimes.summary());
        double ratio = sluiceTimes.median() / rawTimes.median();
        System.out.printf(Locale.ROOT, "process CPU (medians): Sluice %s, raw %s, ratio %.3f%n",
                Timings.seconds((long) Timings.median(sluiceCpu)), Timings.seconds((long) Timings.median(rawCpu)),
                Timings.median(sluiceCpu) / Timings.median(rawCpu));
        System.out.printf(Locale.ROOT, "ratio Sluice / raw DuckDB, whole processes (medians): %.3f%n", ratio);
        System.out.printf(Locale.ROOT, "target (whole small run, start-up included): ratio <= %.2f -> %s%n",
                PROCESS_TARGET_RATIO, ratio <= PROCESS_TARGET_RATIO ? "MET" : "NOT MET");
        return 0;
    }

    private static void addPhases(String line, Map<String, List<Double>> phases) {
        for (String pair : line.substring(LaunchedSides.PHASES.length()).trim().split(" ")) {
            String[] parts = pair.split("=");
            phases.computeIfAbsent(parts[0], name -> new ArrayList<>()).add(Double.parseDouble(parts[1]));
        }
    }

    /** Multiplies every synthetic source's {@code rows:} and every reference generator's {@code max:}. */
    /** Removes every quality: block (and the when: conditions that read quality) and the tests/ folder. */
    static void stripQuality(Path project) throws IOException {
        Timings.deleteRecursively(project.resolve("tests"));
        try (java.util.stream.Stream<Path> files = Files.walk(project)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql") || f.endsWith("sluice.yml")).toList()) {
                List<String> kept = new java.util.ArrayList<>();
                int dropIndent = -1;
                for (String line : Files.readAllLines(file)) {
                    int indent = line.length() - line.stripLeading().length();
                    if (dropIndent >= 0 && (line.isBlank() || indent > dropIndent)) {
                        continue;
                    }
                    dropIndent = -1;
                    if (line.stripLeading().startsWith("quality:")) {
                        dropIndent = indent;
                        continue;
                    }
                    if (line.stripLeading().startsWith("when:")) {
                        continue;
                    }
                    kept.add(line);
                }
                Files.write(file, kept);
            }
        }
    }

    static void scaleSources(Path sluiceYml, double scale) throws IOException {
        String text = Files.readString(sluiceYml);
        text = multiply(ROWS, text, scale);
        text = multiply(REFERENCE_MAX, text, scale);
        Files.writeString(sluiceYml, text);
    }

    private static String multiply(Pattern pattern, String text, double scale) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            long scaled = new BigDecimal(matcher.group(2)).multiply(BigDecimal.valueOf(scale))
                    .setScale(0, RoundingMode.HALF_UP).longValueExact();
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(1) + Math.max(1, scaled)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * The statements a run executes to build the data, in order: schemas and sources, then non-ephemeral models, each
     * followed by the statements of its quality gate ({@code gates}, by source and model name; empty for none).
     */
    static void statements(Sluice sluice, List<PlannedModel> planned, Map<String, List<String>> gates,
            List<String> sources, List<String> models) {
        Set<String> needed = new LinkedHashSet<>();
        planned.forEach(model -> needed.addAll(model.upstreamSources()));
        Set<String> schemas = new LinkedHashSet<>();
        planned.forEach(model -> schemas.add(model.model().schema()));
        List<Source> used = Internals.project(sluice).sources().stream()
                .filter(source -> needed.contains(source.qualifiedName())).toList();
        used.forEach(source -> schemas.add(source.schema()));
        schemas.forEach(schema -> sources.add("CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(schema)));
        for (Source source : used) {
            // As the run loads it: CSV corrupt lines set aside in temporary tables (the retail CSV has some, which
            // the plain select(source) would fail on); synthetic sources read the same either way.
            String rejects = "sluice_rejects_" + source.schema().toLowerCase(Locale.ROOT) + "_"
                    + source.table().toLowerCase(Locale.ROOT);
            sources.add("CREATE TABLE " + Sql.qualified(source.schema(), source.table()) + " AS "
                    + SourceSql.select(dev.sluice.engine.duckdb.DuckDbDialect.INSTANCE, source, rejects));
            sources.addAll(gates.getOrDefault(source.qualifiedName(), List.of()));
        }
        for (PlannedModel model : planned) {
            String relation = Sql.qualified(model.model().schema(), model.name());
            switch (model.model().materialized()) {
                case VIEW -> models.add("CREATE VIEW " + relation + " AS " + model.executableSql());
                // an incremental model's first build, into a fresh warehouse as every round's, is a full one
                case TABLE, INCREMENTAL -> models.add("CREATE TABLE " + relation + " AS " + model.executableSql());
                case EPHEMERAL -> { }
            }
            if (model.model().materialized() != Materialization.EPHEMERAL) {
                models.addAll(gates.getOrDefault(model.name(), List.of()));
            }
        }
    }

    private record RunTiming(long total, long sources) {
    }

    private static RunTiming timeSluice(Path project, Path warehouse) {
        Timings.deleteRecursively(warehouse.getParent());
        System.gc();
        long start = System.nanoTime();
        RunResult result = Sluice.open(project).run(RunOptions.defaults());
        long total = System.nanoTime() - start;
        if (!result.succeeded()) {
            throw new IllegalStateException("the Sluice run failed: " + result.models().stream()
                    .map(ModelResult::error).filter(e -> e != null).toList()
                    + result.sources().stream().map(SourceResult::error).filter(e -> e != null).toList());
        }
        long sources = result.sources().stream().mapToLong(s -> s.duration().toNanos()).sum();
        return new RunTiming(total, sources);
    }

    /** Total, source part and model part of a raw run into a fresh file (not named like a schema: DuckDB would find
     * "raw"."t" ambiguous between catalog raw and schema raw). */
    private static long[] timeRaw(Path file, List<String> sources, List<String> models) throws Exception {
        Timings.deleteRecursively(file.getParent());
        Files.createDirectories(file.getParent());
        System.gc();
        long start = System.nanoTime();
        long sourcesDone;
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
                Statement statement = connection.createStatement()) {
            for (String sql : sources) {
                statement.execute(sql);
            }
            sourcesDone = System.nanoTime();
            for (String sql : models) {
                statement.execute(sql);
            }
        }
        long end = System.nanoTime();
        return new long[] {end - start, sourcesDone - start, end - sourcesDone};
    }

    private static long timePlanning(Path project) {
        long start = System.nanoTime();
        Sluice.open(project).models();
        return System.nanoTime() - start;
    }

    /** Source data size, measured in the raw database after the first round, outside the timed region. */
    private static void reportSizes(Path rawFile, Path warehouse) throws SQLException {
        long csv = 0;
        long rows = 0;
        String threads;
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + rawFile.toAbsolutePath());
                Statement statement = connection.createStatement()) {
            threads = single(statement, "SELECT current_setting('threads')");
            List<String[]> tables = new ArrayList<>();
            try (ResultSet result = statement.executeQuery("SELECT schema_name, table_name "
                    + "FROM duckdb_tables() WHERE schema_name = 'raw' ORDER BY table_name")) {
                while (result.next()) {
                    tables.add(new String[] {result.getString(1), result.getString(2)});
                }
            }
            for (String[] table : tables) {
                String relation = Sql.qualified(table[0], table[1]);
                long tableRows = Long.parseLong(single(statement, "SELECT count(*) FROM " + relation));
                // One CSV line per row: the values as text, comma-separated, plus a newline (NULL as empty).
                List<String> lengths = new ArrayList<>();
                try (ResultSet result = statement.executeQuery("SELECT column_name FROM duckdb_columns() WHERE "
                        + "schema_name = " + Sql.string(table[0]) + " AND table_name = " + Sql.string(table[1]))) {
                    while (result.next()) {
                        lengths.add("coalesce(length(CAST(" + Sql.identifier(result.getString(1)) + " AS VARCHAR)), 0)");
                    }
                }
                long tableCsv = Long.parseLong(single(statement, "SELECT coalesce(sum(" + String.join(" + ", lengths)
                        + " + " + lengths.size() + "), 0) FROM " + relation));
                System.out.printf(Locale.ROOT, "  source %-18s %,12d rows  CSV ~%,15d bytes%n",
                        table[0] + "." + table[1], tableRows, tableCsv);
                csv += tableCsv;
                rows += tableRows;
            }
        }
        System.out.printf(Locale.ROOT, "  sources: %,d rows; as CSV about %s%n", rows, Timings.bytes(csv));
        try {
            System.out.printf(Locale.ROOT, "  files after the round: raw DuckDB %s; Sluice warehouse %s%n",
                    Timings.bytes(Files.size(rawFile)), Timings.bytes(Files.size(warehouse)));
        } catch (IOException e) {
            System.out.println("  files after the round: size unknown (" + e.getMessage() + ")");
        }
        System.out.println("  DuckDB threads (both sides, DuckDB's default): " + threads);
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }
}
