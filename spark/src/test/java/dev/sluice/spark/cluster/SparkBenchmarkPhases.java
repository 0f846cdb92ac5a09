package dev.sluice.spark.cluster;

import dev.sluice.engine.Sql;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import dev.sluice.spark.cluster.SparkBenchmark.Step;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/** {@link SparkBenchmark}'s phases: one Spark application each, its rounds each beside a DuckDB round. */
final class SparkBenchmarkPhases {
    private static final int EMPTY_TASKS = 200;

    private final Path work;
    private final int rounds;
    private final int warmup;
    private final int splitMb;
    private final int shufflePartitions;
    private final List<Source> sources;
    private final List<Step> steps;
    private final Map<String, Map<String, String>> sniffed;

    SparkBenchmarkPhases(Path work, int rounds, int warmup, int splitMb, int shufflePartitions, List<Source> sources,
            List<Step> steps, Map<String, Map<String, String>> sniffed) {
        this.sniffed = sniffed;
        this.work = work;
        this.rounds = rounds;
        this.warmup = warmup;
        this.splitMb = splitMb;
        this.shufflePartitions = shufflePartitions;
        this.sources = sources;
        this.steps = steps;
    }

    /** The medians of one phase; CPU seconds are the JVM's and its child JVMs' (the cluster's executors). */
    record Phase(String name, int slots, double spark, double sparkCpu, double duckdb, double duckdbCpu, double tasks,
            double runSeconds, double executorCpuSeconds, double inputMb, double shuffleMb, double taskOverheadMs,
            double schemaSeconds) {
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

    /** One Spark application on {@code master}: warm-up and measured rounds, each beside a DuckDB round. */
    Phase run(String name, int slots, String master, Map<String, String> clusterConf, Connection duckdb)
            throws Exception {
        Path warehouse = work.resolve("spark-warehouse-"
                + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
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
        List<double[]> measured = new ArrayList<>();
        double schemaSeconds;
        try {
            // the first query waits for every executor (minRegisteredResourcesRatio): not part of any round
            spark.range(0, slots * 4L, 1, slots * 4).count();
            System.out.printf(Locale.ROOT, "%n%s: session and executors up in %.1f s%n", name,
                    (System.nanoTime() - started) / 1e9);
            long schemaStart = System.nanoTime();
            define(spark);
            schemaSeconds = (System.nanoTime() - schemaStart) / 1e9;
            System.out.printf(Locale.ROOT, "sources and views defined in %.1f s%n", schemaSeconds);
            for (int i = 0; i < warmup + rounds; i++) {
                String label = i >= warmup ? "round " + (i - warmup + 1) : "warm-up " + (i + 1);
                double[] duck = duckdbRound(duckdb);
                for (Step step : steps) {
                    if (step.table()) {
                        spark.sql("DROP TABLE IF EXISTS " + step.relation());
                    }
                }
                spark.sparkContext().listenerBus().waitUntilEmpty();
                totals.reset();
                long cpu = SparkBenchmarkMeasures.cpuNanos();
                long start = System.nanoTime();
                for (Step step : steps) {
                    if (step.table()) {
                        spark.sql("CREATE TABLE " + step.relation() + " USING parquet AS " + step.sql());
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuSeconds = (SparkBenchmarkMeasures.cpuNanos() - cpu) / 1e9;
                spark.sparkContext().listenerBus().waitUntilEmpty();
                // the fixed cost of a task: a job of empty tasks, its wall time over the tasks each slot ran
                long emptyStart = System.nanoTime();
                spark.range(0, EMPTY_TASKS, 1, EMPTY_TASKS).write().format("noop").mode("overwrite").save();
                double taskMs = (System.nanoTime() - emptyStart) / 1e6 * slots / EMPTY_TASKS;
                double[] round = {seconds, cpuSeconds, duck[0], duck[1], totals.tasks.get(), totals.runMs.get() / 1e3,
                    totals.cpuNs.get() / 1e9, totals.inputBytes.get() / 1e6, totals.shuffleBytes.get() / 1e6, taskMs};
                System.out.printf(Locale.ROOT, "%-9s spark %.3f s (CPU %.3f s; %.0f tasks, run %.3f s, executor CPU "
                        + "%.3f s, read %.1f MB, shuffled %.1f MB; empty task %.1f ms)  duckdb %.3f s (CPU %.3f s)  "
                        + "load %s%n", label, round[0], round[1], round[4], round[5], round[6], round[7], round[8],
                        round[9], round[2], round[3], SparkBenchmarkMeasures.load());
                if (i >= warmup) {
                    measured.add(round);
                }
            }
            checkSame(spark, duckdb);
        } finally {
            spark.stop();
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
        }
        double[] m = new double[10];
        for (int k = 0; k < m.length; k++) {
            int column = k;
            m[k] = SparkBenchmarkMeasures.median(measured.stream().map(r -> r[column]).toList());
        }
        return new Phase(name, slots, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9], schemaSeconds);
    }

    /**
     * The sources as CSV tables of the session catalog over the same files (columns as the source declares them, else
     * as DuckDB sniffed them; integers as BIGINT, as the Spark engine's file reads widen them), and the models'
     * views.
     */
    private void define(SparkSession spark) {
        Set<String> schemas = new LinkedHashSet<>();
        for (Source source : sources) {
            if (schemas.add(source.schema())) {
                spark.sql("CREATE DATABASE IF NOT EXISTS " + Sql.identifier(source.schema()));
            }
            SourceSpec.Files files = (SourceSpec.Files) source.spec();
            // a glob of a folder's part files: the table's location is the folder
            String path = files.path().endsWith("/*.csv") ? files.path().substring(0, files.path().length() - 6)
                    : files.path();
            StringBuilder columns = new StringBuilder();
            String mode = "";
            if (files.csv().columns().isEmpty()) {
                // the columns DuckDB's sniffer found (so that both engines read the same types): Sluice's Spark
                // engine infers undeclared CSV columns with a read of every file, a one-time cost left out here
                sniffed.get(source.qualifiedName()).forEach((column, type) -> columns.append(columns.isEmpty() ? ""
                        : ", ").append('`').append(column).append("` ").append(sparkType(type)));
            } else {
                files.csv().columns().forEach((column, type) -> columns.append(columns.isEmpty() ? "" : ", ")
                        .append('`').append(column).append("` ").append(sparkType(type)));
                mode = ", mode 'DROPMALFORMED'";
            }
            spark.sql("CREATE TABLE " + Sql.qualified(source.schema(), source.table()) + " (" + columns
                    + ") USING csv OPTIONS (header 'true', path '" + path + "'" + mode + ")");
        }
        for (Step step : steps) {
            if (schemas.add(step.schema())) {
                spark.sql("CREATE DATABASE IF NOT EXISTS " + Sql.identifier(step.schema()));
            }
            if (!step.table()) {
                spark.sql("CREATE VIEW " + step.relation() + " AS " + step.sql());
            }
        }
    }

    /** A DuckDB type name as Spark's DDL spells it. */
    private static String sparkType(String duckdb) {
        return switch (duckdb.toUpperCase(Locale.ROOT)) {
            case "VARCHAR" -> "STRING";
            case "INTEGER", "SMALLINT", "TINYINT" -> "BIGINT";
            default -> duckdb;
        };
    }

    /** DuckDB builds the tables again: wall and CPU seconds (the process's: DuckDB's threads are native ones). */
    private double[] duckdbRound(Connection duckdb) throws SQLException {
        try (Statement statement = duckdb.createStatement()) {
            for (Step step : steps) {
                if (step.table()) {
                    statement.execute("DROP TABLE IF EXISTS " + step.relation());
                }
            }
            statement.execute("CHECKPOINT");
            long cpu = SparkBenchmarkMeasures.cpuNanos();
            long start = System.nanoTime();
            for (Step step : steps) {
                if (step.table()) {
                    statement.execute("CREATE TABLE " + step.relation() + " AS " + step.sql());
                }
            }
            return new double[] {(System.nanoTime() - start) / 1e9, (SparkBenchmarkMeasures.cpuNanos() - cpu) / 1e9};
        }
    }

    /** Every built table has as many rows on both sides (the benchmark times equal work). */
    private void checkSame(SparkSession spark, Connection duckdb) throws SQLException {
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
                System.out.printf(Locale.ROOT, "  %s: %,d rows on both%n", step.relation(), sparkRows);
            }
        }
    }
}
