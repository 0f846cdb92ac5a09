package dev.sluice.spark.cluster;

import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.engine.Sql;
import dev.sluice.exec.Pipeline;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.ProjectReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench/spark} (issue 17): the retail example's model queries, as Sluice plans them (each model's executable
 * SQL: parameters substituted, references qualified, ephemeral models inlined), over the same synthetic retail data
 * exported once to Parquet, built by DuckDB and by Spark SQL in the same JVM: Spark {@code local[2]} against DuckDB
 * (2 threads), then Spark through a standalone cluster on loopback ({@link StandaloneCluster}) with one executor and
 * with two (one core each), DuckDB rounds interleaved in every phase as the measure of the machine's load. From
 * Spark's task metrics: tasks, executor run and CPU time, bytes read and shuffled, and the fixed cost of a task (a job
 * of empty tasks), which {@code bench/SPARK.md} projects to 100 GB on N executors.
 * <p>
 * Views build as views, tables and incremental models (a first build) as tables: DuckDB's own tables in an in-memory
 * database, Spark's as Parquet tables of its session catalog. Quality gates and {@code when:} conditions are left out
 * (the same on both sides). Lives beside the cluster fixture in the spark module's tests; never run by the tests
 * (its name ends in neither Test nor IT).
 */
@Command(name = "bench/spark", mixinStandardHelpOptions = true,
        description = "Retail model queries: DuckDB vs Spark local[2], and Spark on 1 vs 2 standalone workers.")
public final class SparkBenchmark implements Callable<Integer> {
    @Option(names = "--scale", description = "Multiplier of the retail example's synthetic rows (default "
            + "${DEFAULT-VALUE}: 1M orders, 3M order items).")
    double scale = 50;

    @Option(names = "--rounds", description = "Measured rounds per phase; medians are kept (default ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--warmup", description = "Unmeasured rounds first in each phase (default ${DEFAULT-VALUE}).")
    int warmup = 1;

    @Option(names = "--split-mb", description = "Spark's spark.sql.files.maxPartitionBytes in MB, and the size of "
            + "the exported Parquet files (default ${DEFAULT-VALUE}).")
    int splitMb = 16;

    @Option(names = "--shuffle-partitions", description = "spark.sql.shuffle.partitions (default ${DEFAULT-VALUE}).")
    int shufflePartitions = 8;

    @Option(names = "--no-cluster", description = "Only DuckDB and Spark local[2].")
    boolean noCluster;

    @Option(names = "--work", description = "Folder for the data and projects (default ${DEFAULT-VALUE}).")
    Path work = Path.of("target/bench-spark");

    private static final Pattern ROWS = Pattern.compile("(\\brows:\\s*)(\\d+)");
    private static final Pattern REFERENCE_MAX = Pattern.compile("(generator:\\s*reference,\\s*max:\\s*)(\\d+)");
    private static final int EMPTY_TASKS = 200;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkBenchmark()).execute(args));
    }

    /** A model as both engines build it. */
    record Step(String schema, String name, boolean table, String sql) {
        String relation() {
            return Sql.qualified(schema, name);
        }
    }

    /** Spark's task metrics of one build, summed over its tasks. */
    static final class TaskTotals extends SparkListener {
        final AtomicLong tasks = new AtomicLong();
        final AtomicLong runMs = new AtomicLong();
        final AtomicLong cpuNs = new AtomicLong();
        final AtomicLong inputBytes = new AtomicLong();
        final AtomicLong shuffleBytes = new AtomicLong();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.taskMetrics() == null) {
                return;
            }
            tasks.incrementAndGet();
            runMs.addAndGet(end.taskMetrics().executorRunTime());
            cpuNs.addAndGet(end.taskMetrics().executorCpuTime());
            inputBytes.addAndGet(end.taskMetrics().inputMetrics().bytesRead());
            shuffleBytes.addAndGet(end.taskMetrics().shuffleWriteMetrics().bytesWritten());
        }

        void reset() {
            tasks.set(0);
            runMs.set(0);
            cpuNs.set(0);
            inputBytes.set(0);
            shuffleBytes.set(0);
        }
    }

    /** The medians of one phase. */
    record Phase(String name, int slots, double spark, double duckdb, double tasks, double runSeconds,
            double cpuSeconds, double inputMb, double shuffleMb, double taskOverheadMs) {
    }

    @Override
    public Integer call() throws Exception {
        work = work.toAbsolutePath();
        Path project = work.resolve("retail");
        Path parquet = work.resolve("parquet");
        deleteRecursively(work);
        Files.createDirectories(work);
        System.out.printf(Locale.ROOT, "load before: %s%n", load());

        List<Step> steps = prepare(project, parquet);
        long csvBytes = csvBytes(project, steps);
        long parquetBytes = folderBytes(parquet);
        System.out.printf(Locale.ROOT, "retail x%s: raw data %.1f MB as CSV, %.1f MB as Parquet (%d files); %d "
                + "models built (%d tables)%n", scale, csvBytes / 1e6, parquetBytes / 1e6, files(parquet).size(),
                steps.size(), steps.stream().filter(Step::table).count());

        List<Phase> phases = new ArrayList<>();
        try (Connection duckdb = duckdb(parquet, steps)) {
            phases.add(phase("Spark local[2]", 2, "local[2]", Map.of(), duckdb, parquet, steps));
            if (!noCluster) {
                try (StandaloneCluster cluster = StandaloneCluster.start(work.resolve("cluster"), 2, 1)) {
                    phases.add(phase("standalone, 1 worker", 1, cluster.masterUrl(), cluster.applicationConf(1),
                            duckdb, parquet, steps));
                    phases.add(phase("standalone, 2 workers", 2, cluster.masterUrl(), cluster.applicationConf(2),
                            duckdb, parquet, steps));
                }
            }
        }

        System.out.printf(Locale.ROOT, "%nRetail models (x%s; %.1f MB CSV-equivalent), medians of %d rounds per "
                + "phase, same JVM; load after: %s%n", scale, csvBytes / 1e6, rounds, load());
        System.out.printf(Locale.ROOT, "%-24s %9s %9s %7s %7s %9s %9s %9s %9s %10s%n", "phase", "spark s", "duckdb s",
                "ratio", "tasks", "run s", "cpu s", "in MB", "shuf MB", "task ms");
        for (Phase p : phases) {
            System.out.printf(Locale.ROOT, "%-24s %9.3f %9.3f %7.2f %7.0f %9.3f %9.3f %9.1f %9.1f %10.1f%n", p.name(),
                    p.spark(), p.duckdb(), p.spark() / p.duckdb(), p.tasks(), p.runSeconds(), p.cpuSeconds(),
                    p.inputMb(), p.shuffleMb(), p.taskOverheadMs());
        }
        if (phases.size() == 3) {
            Phase one = phases.get(1);
            Phase two = phases.get(2);
            System.out.printf(Locale.ROOT, "scaling 1 -> 2 workers: %.2fx faster (%.2fx with each phase's time over "
                    + "its own DuckDB rounds, which corrects for load drift between the phases)%n",
                    one.spark() / two.spark(), (one.spark() / one.duckdb()) / (two.spark() / two.duckdb()));
            project(two, csvBytes, parquetBytes, steps.stream().filter(Step::table).count());
        }
        return 0;
    }

    /**
     * 100 GB (CSV-equivalent) on N executors of one core from the two-worker phase's costs: the work grows with the
     * data, from the executors' run time as measured (on this loaded machine) and from their CPU time (what a
     * dedicated core would take, I/O aside); the tasks with the data read (one per 128 MB of Parquet, Spark's default
     * {@code maxPartitionBytes}, the raw tables read about twice) plus 200 shuffle partitions per table built; the
     * rest of the wall time (the driver: planning, stage barriers, each table's commit) stays as measured.
     */
    private void project(Phase measured, long csvBytes, long parquetBytes, long tables) {
        double factor = 100e9 / csvBytes;
        double run = measured.runSeconds() * factor;
        double cpu = measured.cpuSeconds() * factor;
        double scanTasks = Math.ceil(parquetBytes * factor / (128 * 1024.0 * 1024.0));
        double tasks = scanTasks * 2 + tables * 200;
        double taskSeconds = tasks * measured.taskOverheadMs() / 1000;
        double driver = Math.max(0, measured.spark() - (measured.runSeconds() + measured.tasks()
                * measured.taskOverheadMs() / 1000) / measured.slots());
        System.out.printf(Locale.ROOT, "%nprojection to 100 GB CSV-equivalent (x%.0f the measured data): executor "
                + "run time %.0f s (CPU time %.0f s), ~%.0f tasks of %.1f ms fixed cost, driver %.1f s%n", factor, run,
                cpu, tasks, measured.taskOverheadMs(), driver);
        System.out.printf(Locale.ROOT, "  %9s %22s %22s%n", "executors", "from run time", "from CPU time");
        for (int n : new int[] {1, 2, 4, 8, 16, 32, 64, 128}) {
            double fromRun = driver + (run + taskSeconds) / n;
            double fromCpu = driver + (cpu + taskSeconds) / n;
            System.out.printf(Locale.ROOT, "  %9d %13.0f s %5.1f min %13.0f s %5.1f min%n", n, fromRun, fromRun / 60,
                    fromCpu, fromCpu / 60);
        }
    }

    /** The retail example at {@code scale} run once by Sluice (DuckDB), its sources exported to Parquet. */
    private List<Step> prepare(Path project, Path parquet) throws Exception {
        copyRecursively(Path.of("sql/examples/retail"), project);
        deleteRecursively(project.resolve("target"));
        Path yml = project.resolve("sluice.yml");
        String text = multiply(REFERENCE_MAX, multiply(ROWS, Files.readString(yml)));
        Files.writeString(yml, text);
        long start = System.nanoTime();
        RunResult run = Sluice.open(project).run(RunOptions.defaults());
        if (!run.succeeded()) {
            throw new IllegalStateException("the retail example failed at x" + scale + ": " + run.models());
        }
        System.out.printf(Locale.ROOT, "sluice run (DuckDB, sources generated, gates on): %.1f s%n",
                (System.nanoTime() - start) / 1e9);

        List<PlannedModel> planned = new Pipeline(ProjectReader.read(project, Map.of()), Sluice.VERSION).plan()
                .models();
        Set<String> sources = new LinkedHashSet<>();
        List<Step> steps = new ArrayList<>();
        for (PlannedModel model : planned) {
            sources.addAll(model.upstreamSources());
            switch (model.model().materialized()) {
                case VIEW -> steps.add(new Step(model.model().schema(), model.name(), false, model.executableSql()));
                case TABLE, INCREMENTAL -> steps.add(new Step(model.model().schema(), model.name(), true,
                        model.executableSql()));
                case EPHEMERAL -> { }
            }
        }
        Path warehouse = Sluice.open(project).project().warehouse();
        Files.createDirectories(parquet);
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + warehouse);
                Statement statement = connection.createStatement()) {
            for (String source : sources) {
                Path folder = parquet.resolve(source);
                statement.execute("COPY (SELECT * FROM " + qualified(source) + ") TO " + Sql.string(folder.toString())
                        + " (FORMAT parquet, FILE_SIZE_BYTES '" + splitMb + "MB')");
            }
        }
        return steps;
    }

    /** DuckDB, 2 threads, in memory: the sources as views over the Parquet files, the models' views. */
    private Connection duckdb(Path parquet, List<Step> steps) throws SQLException, IOException {
        Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET threads = 2");
            Set<String> schemas = new LinkedHashSet<>();
            try (Stream<Path> folders = Files.list(parquet)) {
                for (Path folder : folders.sorted().toList()) {
                    String source = folder.getFileName().toString();
                    String schema = source.substring(0, source.indexOf('.'));
                    if (schemas.add(schema)) {
                        statement.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(schema));
                    }
                    statement.execute("CREATE VIEW " + qualified(source) + " AS SELECT * FROM read_parquet("
                            + Sql.string(folder + "/*.parquet") + ")");
                }
            }
            for (Step step : steps) {
                if (schemas.add(step.schema())) {
                    statement.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(step.schema()));
                }
                if (!step.table()) {
                    statement.execute("CREATE VIEW " + step.relation() + " AS " + step.sql());
                }
            }
        }
        return connection;
    }

    private double duckdbRound(Connection duckdb, List<Step> steps) throws SQLException {
        try (Statement statement = duckdb.createStatement()) {
            for (Step step : steps) {
                if (step.table()) {
                    statement.execute("DROP TABLE IF EXISTS " + step.relation());
                }
            }
            long start = System.nanoTime();
            for (Step step : steps) {
                if (step.table()) {
                    statement.execute("CREATE TABLE " + step.relation() + " AS " + step.sql());
                }
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** One Spark session on {@code master}: warm-up and measured rounds, each beside a DuckDB round. */
    private Phase phase(String name, int slots, String master, Map<String, String> clusterConf, Connection duckdb,
            Path parquet, List<Step> steps) throws Exception {
        Path warehouse = work.resolve("spark-warehouse-" + name.replaceAll("[^a-z0-9]+", "-"));
        SparkSession.Builder builder = SparkSession.builder().master(master).appName("bench-spark " + name)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.warehouse.dir", warehouse.toString())
                // Sluice's executable SQL quotes identifiers with double quotes, as DuckDB and standard SQL do
                .config("spark.sql.ansi.enabled", "true")
                .config("spark.sql.ansi.doubleQuotedIdentifiers", "true")
                .config("spark.sql.shuffle.partitions", Integer.toString(shufflePartitions))
                .config("spark.sql.files.maxPartitionBytes", splitMb + "m")
                .config("spark.sql.session.timeZone", "UTC");
        clusterConf.forEach(builder::config);
        long started = System.nanoTime();
        SparkSession spark = builder.getOrCreate();
        TaskTotals totals = new TaskTotals();
        spark.sparkContext().addSparkListener(totals);
        List<Double> sparkSeconds = new ArrayList<>();
        List<Double> duckdbSeconds = new ArrayList<>();
        List<Double> tasks = new ArrayList<>();
        List<Double> run = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> input = new ArrayList<>();
        List<Double> shuffle = new ArrayList<>();
        List<Double> overhead = new ArrayList<>();
        try {
            Set<String> schemas = new LinkedHashSet<>();
            try (Stream<Path> folders = Files.list(parquet)) {
                for (Path folder : folders.sorted().toList()) {
                    String source = folder.getFileName().toString();
                    String schema = source.substring(0, source.indexOf('.'));
                    if (schemas.add(schema)) {
                        spark.sql("CREATE DATABASE IF NOT EXISTS " + Sql.identifier(schema));
                    }
                    spark.sql("CREATE TABLE " + qualified(source) + " USING parquet LOCATION "
                            + "'" + folder + "'");
                }
            }
            for (Step step : steps) {
                if (schemas.add(step.schema())) {
                    spark.sql("CREATE DATABASE IF NOT EXISTS " + Sql.identifier(step.schema()));
                }
                if (!step.table()) {
                    spark.sql("CREATE VIEW " + step.relation() + " AS " + step.sql());
                }
            }
            // the first query waits for every executor (minRegisteredResourcesRatio): not part of any round
            spark.range(0, slots * 4L, 1, slots * 4).count();
            System.out.printf(Locale.ROOT, "%n%s: session and executors up in %.1f s%n", name,
                    (System.nanoTime() - started) / 1e9);
            for (int i = 0; i < warmup + rounds; i++) {
                boolean measured = i >= warmup;
                String label = measured ? "round " + (i - warmup + 1) : "warm-up " + (i + 1);
                double duck = duckdbRound(duckdb, steps);
                for (Step step : steps) {
                    if (step.table()) {
                        spark.sql("DROP TABLE IF EXISTS " + step.relation());
                    }
                }
                spark.sparkContext().listenerBus().waitUntilEmpty();
                totals.reset();
                long start = System.nanoTime();
                for (Step step : steps) {
                    if (step.table()) {
                        spark.sql("CREATE TABLE " + step.relation() + " USING parquet AS " + step.sql());
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                spark.sparkContext().listenerBus().waitUntilEmpty();
                long buildTasks = totals.tasks.get();
                double runSeconds = totals.runMs.get() / 1e3;
                double cpuSeconds = totals.cpuNs.get() / 1e9;
                double inputMb = totals.inputBytes.get() / 1e6;
                double shuffleMb = totals.shuffleBytes.get() / 1e6;
                // the fixed cost of a task: a job of empty tasks, its wall time over the tasks each slot ran
                long emptyStart = System.nanoTime();
                spark.range(0, EMPTY_TASKS, 1, EMPTY_TASKS).write().format("noop").mode("overwrite").save();
                double taskMs = (System.nanoTime() - emptyStart) / 1e6 * slots / EMPTY_TASKS;
                System.out.printf(Locale.ROOT, "%-9s spark %.3f s (%d tasks, run %.3f s, cpu %.3f s, read %.1f MB, "
                        + "shuffled %.1f MB; empty task %.1f ms)  duckdb %.3f s  load %s%n", label, seconds,
                        buildTasks, runSeconds, cpuSeconds, inputMb, shuffleMb, taskMs, duck, load());
                if (measured) {
                    sparkSeconds.add(seconds);
                    duckdbSeconds.add(duck);
                    tasks.add((double) buildTasks);
                    run.add(runSeconds);
                    cpu.add(cpuSeconds);
                    input.add(inputMb);
                    shuffle.add(shuffleMb);
                    overhead.add(taskMs);
                }
            }
            checkSame(spark, duckdb, steps);
        } finally {
            spark.stop();
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
        }
        return new Phase(name, slots, median(sparkSeconds), median(duckdbSeconds), median(tasks), median(run),
                median(cpu), median(input), median(shuffle), median(overhead));
    }

    /** Every built table has as many rows on both sides (the benchmark times equal work). */
    private static void checkSame(SparkSession spark, Connection duckdb, List<Step> steps) throws SQLException {
        try (Statement statement = duckdb.createStatement()) {
            for (Step step : steps) {
                if (!step.table()) {
                    continue;
                }
                long sparkRows = spark.sql("SELECT count(*) FROM " + step.relation()).first().getLong(0);
                long duckdbRows;
                try (var rows = statement.executeQuery("SELECT count(*) FROM " + step.relation())) {
                    rows.next();
                    duckdbRows = rows.getLong(1);
                }
                if (sparkRows != duckdbRows) {
                    throw new IllegalStateException(step.relation() + ": Spark built " + sparkRows + " rows, DuckDB "
                            + duckdbRows);
                }
            }
        }
    }

    /** The bytes of the raw sources the models read, written as CSV by DuckDB (the input's usual measure). */
    private static long csvBytes(Path project, List<Step> steps) throws SQLException, IOException {
        Path parquet = project.getParent().resolve("parquet");
        Path csv = project.getParent().resolve("csv-size.csv");
        long bytes = 0;
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            for (Path folder : files(parquet).stream().map(Path::getParent).distinct().toList()) {
                statement.execute("COPY (SELECT * FROM read_parquet(" + Sql.string(folder + "/*.parquet") + ")) TO "
                        + Sql.string(csv.toString()) + " (HEADER)");
                bytes += Files.size(csv);
                Files.delete(csv);
            }
        }
        return bytes;
    }

    private static String qualified(String source) {
        int dot = source.indexOf('.');
        return Sql.qualified(source.substring(0, dot), source.substring(dot + 1));
    }

    private String multiply(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            long scaled = Math.max(1, Math.round(Long.parseLong(matcher.group(2)) * scale));
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(1) + scaled));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".parquet")).sorted().toList();
        }
    }

    private static long folderBytes(Path folder) throws IOException {
        long bytes = 0;
        for (Path file : files(folder)) {
            bytes += Files.size(file);
        }
        return bytes;
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (Files.notExists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
