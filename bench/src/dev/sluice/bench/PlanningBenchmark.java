package dev.sluice.bench;

import dev.sluice.Sluice;
import dev.sluice.connect.SourceSql;
import dev.sluice.engine.Sql;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Planning benchmark: generates a pipeline folder of many models and times {@code Sluice.open(dir).models()}
 * (read, parse, validate with Calcite, cross-check with DuckDB, order into a DAG), against the floor of raw DuckDB
 * defining the same models as views in an in-memory database.
 */
@Command(name = "bench/run planning", mixinStandardHelpOptions = true,
        description = "Times load + parse + validate + DAG of a generated project against raw DuckDB views.")
public final class PlanningBenchmark implements Callable<Integer> {
    static final double TARGET_SECONDS = 2.0;
    static final int SOURCES = 8;
    static final String COLUMNS = "id, k, cat, amount, d";

    @Option(names = "--models", description = "Models to generate (default ${DEFAULT-VALUE}).")
    int models = 1000;

    @Option(names = "--iterations", description = "Measured iterations (default ${DEFAULT-VALUE}).")
    int iterations = 7;

    @Option(names = "--warmup", description = "Warm-up iterations, not measured (default ${DEFAULT-VALUE}).")
    int warmup = 2;

    @Option(names = "--seed", description = "Seed of the generated project (default ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--layers", description = "Depth of the model graph: models are split into this many layers and "
            + "read only from lower ones; 0 = no limit, any earlier model (default ${DEFAULT-VALUE}).")
    int layers = 3;

    @Option(names = "--budget", description = "Seconds allowed for one unmeasured check run of each series; a series "
            + "that takes longer is reported as not finished and the benchmark stops (default ${DEFAULT-VALUE}).")
    int budget = 120;

    @Option(names = "--dir", description = "Folder to generate the project in (default: a new temp folder, deleted); "
            + "a warehouse an earlier run left there is deleted first.")
    Path dir;

    @Option(names = "--cache-rounds", description = "Measured rounds of each plan cache series, after the cold ones; "
            + "0 skips them (default ${DEFAULT-VALUE}).")
    int cacheRounds = 7;

    @Option(names = "--processes", description = "Measured new processes running `sluice plan` on the cached "
            + "project; 0 skips them (default ${DEFAULT-VALUE}).")
    int processes = 5;

    static final double CACHED_TARGET_SECONDS = 0.3;
    static final double CACHED_PROCESS_TARGET_SECONDS = 1.0;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PlanningBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        boolean temporary = dir == null;
        Path project = temporary ? Files.createTempDirectory("sluice-planning-") : dir;
        try {
            generate(project, models, layers, seed);
            System.out.printf(Locale.ROOT, "Planning benchmark: %d models in %s layers, %d synthetic sources, seed %d,"
                    + " in %s%n", models, layers == 0 ? "unlimited" : Integer.toString(layers), SOURCES, seed, project);
            System.out.printf(Locale.ROOT, "JVM %s, %d cores%n", Runtime.version(),
                    Runtime.getRuntime().availableProcessors());

            // Outside the timed region, each under the budget: the statements the raw floors run, and a check run
            // of every series (DuckDB binds a view by expanding every view it reads, so deep graphs of views can
            // take exponential time, for Sluice's scratch database as for raw DuckDB).
            List<PlannedModel> planned = withinBudget("Sluice.open(dir).models()", () -> Internals.models(Sluice.open(project)));
            List<Source> sources = Internals.project(Sluice.open(project)).sources();
            List<String> views = floorStatements(sources, planned, false);
            List<String> tables = floorStatements(sources, planned, true);
            System.out.printf(Locale.ROOT, "Planned %d models; each raw floor runs %d statements%n", planned.size(),
                    views.size());
            withinBudget("raw DuckDB empty tables", () -> timeFloor(tables, false));
            withinBudget("raw DuckDB CREATE VIEW", () -> timeFloor(views, false));
            withinBudget("raw DuckDB CREATE VIEW + DESCRIBE", () -> timeFloor(views, true));
            System.out.println();

            Timings sluiceTimes = new Timings("Sluice.open(dir).models()");
            // Process CPU time of the Sluice plan: on a shared machine, wall time follows the load, CPU time much less.
            Timings sluiceCpu = new Timings("Sluice.open(dir).models(), process CPU");
            Timings floorTimes = new Timings("raw DuckDB CREATE VIEW floor");
            Timings describeTimes = new Timings("raw DuckDB CREATE VIEW + DESCRIBE");
            Timings tableTimes = new Timings("raw DuckDB empty tables");
            for (int i = 0; i < warmup + iterations; i++) {
                boolean measured = i >= warmup;
                String label = measured ? "iteration " + (i - warmup + 1) : "warm-up " + (i + 1);
                // Alternate the order so neither side always runs on a freshly collected heap.
                long sluiceNanos;
                long floorNanos;
                long describeNanos;
                long tableNanos;
                long cpuBefore;
                long cpuNanos;
                if (i % 2 == 0) {
                    cpuBefore = processCpuNanos();
                    sluiceNanos = timeSluice(project, planned.size());
                    cpuNanos = processCpuNanos() - cpuBefore;
                    floorNanos = timeFloor(views, false);
                    describeNanos = timeFloor(views, true);
                    tableNanos = timeFloor(tables, false);
                } else {
                    tableNanos = timeFloor(tables, false);
                    describeNanos = timeFloor(views, true);
                    floorNanos = timeFloor(views, false);
                    cpuBefore = processCpuNanos();
                    sluiceNanos = timeSluice(project, planned.size());
                    cpuNanos = processCpuNanos() - cpuBefore;
                }
                System.out.printf(Locale.ROOT, "%-12s Sluice %s (CPU %s)   raw views %s   raw views+DESCRIBE %s   raw empty "
                        + "tables %s%n", label, Timings.seconds(sluiceNanos), Timings.seconds(cpuNanos),
                        Timings.seconds(floorNanos), Timings.seconds(describeNanos), Timings.seconds(tableNanos));
                if (measured) {
                    sluiceTimes.add(sluiceNanos);
                    sluiceCpu.add(cpuNanos);
                    floorTimes.add(floorNanos);
                    describeTimes.add(describeNanos);
                    tableTimes.add(tableNanos);
                }
            }
            System.out.println();
            System.out.println(sluiceTimes.summary());
            System.out.println(sluiceCpu.summary());
            System.out.println(floorTimes.summary());
            System.out.println(describeTimes.summary());
            System.out.println(tableTimes.summary());
            System.out.printf(Locale.ROOT, "ratio Sluice / raw views:          %.1fx%n",
                    sluiceTimes.median() / floorTimes.median());
            System.out.printf(Locale.ROOT, "ratio Sluice / raw views+DESCRIBE: %.1fx%n",
                    sluiceTimes.median() / describeTimes.median());
            System.out.printf(Locale.ROOT, "ratio Sluice / raw empty tables:   %.1fx%n",
                    sluiceTimes.median() / tableTimes.median());
            boolean met = sluiceTimes.median() < TARGET_SECONDS;
            System.out.printf(Locale.ROOT, "target: median under %.1f s for %d models -> %s (median %.3f s)%n",
                    TARGET_SECONDS, models, met ? "MET" : "NOT MET", sluiceTimes.median());
            if (cacheRounds > 0) {
                System.out.println();
                PlanCacheSeries.run(project, models, warmup, cacheRounds, processes, CACHED_TARGET_SECONDS,
                        CACHED_PROCESS_TARGET_SECONDS);
            }
            return 0;
        } finally {
            if (temporary) {
                Timings.deleteRecursively(project);
            }
        }
    }

    /**
     * Runs one unmeasured check of a series on a daemon thread; past the budget it reports the series as not finished
     * and exits, since a native DuckDB call cannot be interrupted and would skew everything after it.
     */
    private <T> T withinBudget(String series, Callable<T> work) throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-check");
            thread.setDaemon(true);
            return thread;
        });
        long start = System.nanoTime();
        try {
            T result = executor.submit(work).get(budget, TimeUnit.SECONDS);
            System.out.printf(Locale.ROOT, "check run  %-34s %s%n", series, Timings.seconds(System.nanoTime() - start));
            return result;
        } catch (TimeoutException e) {
            System.out.printf(Locale.ROOT, "check run  %-34s DID NOT FINISH within the %d s budget%n", series, budget);
            System.out.printf(Locale.ROOT, "target: median under %.1f s for %d models -> NOT MET%n", TARGET_SECONDS,
                    models);
            System.out.flush();
            System.exit(1);
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            executor.shutdown();
        }
    }

    /** CPU time of every thread of this process (the planner's parallel threads and DuckDB's included). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long timeSluice(Path project, int expected) {
        long start = System.nanoTime();
        int count = Sluice.open(project).models().size();
        long elapsed = System.nanoTime() - start;
        if (count != expected) {
            throw new IllegalStateException("planned " + count + " models, expected " + expected);
        }
        return elapsed;
    }

    /** Raw DuckDB: a fresh in-memory database given the same sources (empty) and models (views). */
    private static long timeFloor(List<String> statements, boolean describe) throws SQLException {
        long start = System.nanoTime();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
                if (describe && sql.startsWith("CREATE VIEW ")) {
                    String relation = sql.substring("CREATE VIEW ".length(), sql.indexOf(" AS "));
                    statement.execute("DESCRIBE " + relation);
                }
            }
        }
        return System.nanoTime() - start;
    }

    /**
     * What the planner's scratch database holds: schemas, sources as empty tables, every model as a view; or, with
     * {@code emptyTables}, every model as an empty table, so binding a model never expands the models it reads.
     */
    static List<String> floorStatements(List<Source> sources, List<PlannedModel> planned, boolean emptyTables) {
        Set<String> schemas = new LinkedHashSet<>();
        sources.forEach(source -> schemas.add(source.schema()));
        planned.forEach(model -> schemas.add(model.model().schema()));
        List<String> statements = new ArrayList<>();
        schemas.forEach(schema -> statements.add("CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(schema)));
        for (Source source : sources) {
            statements.add("CREATE TABLE " + Sql.qualified(source.schema(), source.table())
                    + " AS SELECT * FROM (" + SourceSql.select(dev.sluice.engine.duckdb.DuckDbDialect.INSTANCE, source) + ") LIMIT 0");
        }
        for (PlannedModel model : planned) {
            String relation = Sql.qualified(model.model().schema(), model.name());
            statements.add(emptyTables
                    ? "CREATE TABLE " + relation + " AS SELECT * FROM (" + model.executableSql() + ") LIMIT 0"
                    : "CREATE VIEW " + relation + " AS " + model.executableSql());
        }
        return statements;
    }

    // ---- project generation -------------------------------------------------------------------------------------

    /**
     * Writes a project of {@code count} models over {@link #SOURCES} synthetic sources. Every relation has the
     * columns {@value #COLUMNS} with the same types, so any model may read any earlier one. Models fall into
     * {@code layers} layers of equal size (0: one model per layer) and read only lower layers. Each model reads 3–8
     * models (none in the first layer) and 2–3 sources: most of the time one of the last models just below it
     * (chains), the rest drawn from the recent and from all readable models (fan-ins). Its body is a CTE over its inputs followed by one
     * of four shapes: joins, an aggregate, CASE expressions, or window functions.
     */
    static void generate(Path root, int count, int layers, long seed) throws IOException {
        Random random = new Random(seed);
        Files.createDirectories(root);
        StringBuilder yml = new StringBuilder();
        yml.append("name: planning_bench\nwarehouse: target/planning_bench.duckdb\ndefaults:\n  materialized: view\n")
                .append("sources:\n");
        for (int s = 0; s < SOURCES; s++) {
            yml.append("  raw.s").append(s).append(":\n")
                    .append("    type: synthetic\n    rows: 1000\n    seed: ").append(s + 1).append('\n')
                    .append("    columns:\n")
                    .append("      id:     { type: BIGINT, generator: sequence }\n")
                    .append("      k:      { type: BIGINT, generator: reference, max: 1000 }\n")
                    .append("      cat:    { type: VARCHAR, generator: choice, values: [a, b, c, d] }\n")
                    .append("      amount: { type: DOUBLE, generator: uniform, min: 0, max: 1000 }\n")
                    .append("      d:      { type: DATE, generator: date, start: 2024-01-01, end: 2024-12-31 }\n");
        }
        Files.writeString(root.resolve("sluice.yml"), yml.toString());
        // A --dir of an earlier run holds its warehouse, whose plan cache would make the cold series cached ones.
        for (String file : List.of("planning_bench.duckdb", "planning_bench.duckdb.wal")) {
            Files.deleteIfExists(root.resolve("target").resolve(file));
        }
        for (int i = 0; i < count; i++) {
            Path folder = root.resolve("models").resolve(String.format(Locale.ROOT, "layer%02d", i / 100));
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(modelName(i) + ".sql"), model(i, readable(i, count, layers), random));
        }
    }

    private static String modelName(int index) {
        return String.format(Locale.ROOT, "m%04d", index);
    }

    /** How many models (the first ones) model {@code index} may read: all earlier ones, or those of lower layers. */
    private static int readable(int index, int count, int layers) {
        if (layers <= 0) {
            return index;
        }
        int perLayer = (count + layers - 1) / layers;
        return index / perLayer * perLayer;
    }

    private static String model(int index, int readable, Random random) {
        Set<String> inputs = new LinkedHashSet<>();
        int wantedModels = Math.min(readable, 3 + random.nextInt(6));
        if (readable > 0 && random.nextInt(10) < 7) {
            inputs.add(modelName(readable - 1 - random.nextInt(Math.min(readable, 10))));
        }
        while (inputs.size() < wantedModels) {
            int upstream = random.nextBoolean()
                    ? readable - 1 - random.nextInt(Math.min(readable, 30))
                    : random.nextInt(readable);
            inputs.add(modelName(upstream));
        }
        int wantedSources = 2 + random.nextInt(2);
        Set<String> sources = new LinkedHashSet<>();
        while (sources.size() < wantedSources) {
            sources.add("raw.s" + random.nextInt(SOURCES));
        }
        inputs.addAll(sources);
        List<String> all = new ArrayList<>(inputs);

        StringBuilder sql = new StringBuilder();
        boolean table = random.nextInt(10) == 0;
        if (table) {
            sql.append("/*---\nmaterialized: table\nschema: marts\ntags: [bench]\n---*/\n");
        }
        int shape = random.nextInt(4);
        if (shape == 0 && all.size() < 3) {
            shape = 1;
        }
        // The join shape joins the first two inputs to the union of the others.
        List<String> unioned = shape == 0 ? all.subList(2, all.size()) : all;
        sql.append("WITH inputs AS (\n");
        for (int i = 0; i < unioned.size(); i++) {
            sql.append(i == 0 ? "    " : "    UNION ALL\n    ").append("SELECT ").append(COLUMNS).append(" FROM ")
                    .append(unioned.get(i)).append('\n');
        }
        sql.append(")\n");
        switch (shape) {
            case 0 -> sql.append("SELECT\n    a.id,\n    a.k,\n    coalesce(b.cat, a.cat) AS cat,\n")
                    .append("    CAST(a.amount + coalesce(c.amount, 0) AS DOUBLE) AS amount,\n    a.d\n")
                    .append("FROM inputs AS a\n")
                    .append("LEFT JOIN (SELECT k, max(cat) AS cat FROM ").append(all.get(0))
                    .append(" GROUP BY k) AS b ON b.k = a.k\n")
                    .append("JOIN ").append(all.get(1)).append(" AS c ON c.id = a.id AND c.cat = a.cat\n")
                    .append("WHERE a.d >= DATE '2024-02-01'\n");
            case 1 -> sql.append("SELECT\n    CAST(min(id) AS BIGINT) AS id,\n    k,\n    cat,\n")
                    .append("    CAST(sum(amount) AS DOUBLE) AS amount,\n    max(d) AS d\n")
                    .append("FROM inputs\nGROUP BY k, cat\nHAVING count(*) > ").append(random.nextInt(3)).append('\n');
            case 2 -> sql.append("SELECT\n    id,\n    k,\n")
                    .append("    CASE WHEN amount >= 500 THEN 'high' WHEN amount >= 100 THEN 'mid' ELSE cat END AS cat,\n")
                    .append("    CAST(CASE WHEN d < DATE '2024-07-01' THEN amount * 1.1 ELSE amount END AS DOUBLE)")
                    .append(" AS amount,\n    d\nFROM inputs\nWHERE k > ").append(random.nextInt(100)).append('\n');
            default -> sql.append(", ranked AS (\n    SELECT ").append(COLUMNS)
                    .append(", row_number() OVER (PARTITION BY k ORDER BY d DESC, id) AS rn\n    FROM inputs\n)\n")
                    .append("SELECT\n    id,\n    k,\n    cat,\n")
                    .append("    CAST(sum(amount) OVER (PARTITION BY cat ORDER BY d, id ROWS BETWEEN 3 PRECEDING ")
                    .append("AND CURRENT ROW) AS DOUBLE) AS amount,\n    d\nFROM ranked\nWHERE rn <= 3\n");
        }
        return sql.toString();
    }
}
