package dev.sluice.spark.cluster;

import dev.sluice.Sluice;
import dev.sluice.bench.SparkBenchmarkData;
import dev.sluice.connect.SourceSql;
import dev.sluice.engine.Sql;
import dev.sluice.engine.duckdb.DuckDbDialect;
import dev.sluice.exec.Pipeline;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectReader;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * {@code bench/spark} (issue 17): the retail pipeline over N GB of CSV from {@code bench/scale}'s streaming generator,
 * built by DuckDB and by Spark SQL in the same JVM: Spark {@code local[2]} against DuckDB (2 threads), then Spark on a
 * standalone cluster on loopback ({@link StandaloneCluster}) with one single-core executor and with two, DuckDB rounds
 * interleaved in every phase as the measure of the machine's load. Each side's wall and CPU time (the JVM's and its
 * child JVMs': the cluster's executors), Spark's task metrics, and from them a projection to 100 GB on N executors
 * ({@code bench/SPARK.md}).
 * <p>
 * The queries are the retail models' executable SQL as Sluice plans them (parameters substituted, references qualified,
 * the ephemeral model inlined); sources are the CSV files, read in place on both sides each round (DuckDB through the
 * views Sluice's files connector defines; Spark through CSV tables of its session catalog with the columns DuckDB's
 * sniffer found, integers as BIGINT as the Spark engine widens them). Views stay views; tables
 * and the incremental model (a first build) are built: DuckDB's in a database file, Spark's as Parquet tables.
 * Quality gates and {@code when:} conditions are left out on both sides. Never run by the tests (its name ends in
 * neither Test nor IT).
 */
@Command(name = "bench/spark", mixinStandardHelpOptions = true,
        description = "The retail pipeline over N GB of CSV: DuckDB vs Spark local[2], and Spark on 1 vs 2 workers.")
public final class SparkBenchmark implements Callable<Integer> {
    @Option(names = "--gb", description = "GB of retail CSV (bench/scale's generator; kept under --data and reused; "
            + "default ${DEFAULT-VALUE}).")
    double gigabytes = 1;

    @Option(names = "--rounds", description = "Measured rounds per phase; medians are kept (default ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--warmup", description = "Unmeasured rounds first in each phase (default ${DEFAULT-VALUE}).")
    int warmup = 1;

    @Option(names = "--split-mb", description = "Spark's spark.sql.files.maxPartitionBytes in MB (default "
            + "${DEFAULT-VALUE}, Spark's own).")
    int splitMb = 128;

    @Option(names = "--shuffle-partitions", description = "spark.sql.shuffle.partitions (default ${DEFAULT-VALUE}).")
    int shufflePartitions = 8;

    @Option(names = "--memory-limit", description = "DuckDB's memory_limit (default ${DEFAULT-VALUE}, the Spark "
            + "driver's heap in bench/spark).")
    String memoryLimit = "3GB";

    @Option(names = "--no-cluster", description = "Only DuckDB and Spark local[2].")
    boolean noCluster;

    @Option(names = "--no-local", description = "Only the standalone cluster's phases.")
    boolean noLocal;

    @Option(names = "--whole-run", description = "Instead of the phases: whole sluice runs of the project (gates "
            + "on) with engine duckdb and engine spark local[2], alternating.")
    boolean wholeRun;

    @Option(names = "--generate-only", description = "Write the CSV (or find it) and stop.")
    boolean generateOnly;

    @Option(names = "--delete-data", description = "Delete the generated CSV at the end.")
    boolean deleteData;

    @Option(names = "--data", description = "Where generated CSV is kept, one folder per size (default "
            + "${DEFAULT-VALUE}, shared with bench/scale).")
    Path data = Path.of("target/bench-scale");

    @Option(names = "--work", description = "Folder for the project and the built tables (default "
            + "${DEFAULT-VALUE}; emptied first and deleted at the end).")
    Path work = Path.of("target/bench-spark");

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkBenchmark()).execute(args));
    }

    /** A model as both engines build it. */
    record Step(String schema, String name, boolean table, String sql) {
        String relation() {
            return Sql.qualified(schema, name);
        }
    }

    @Override
    public Integer call() throws Exception {
        work = work.toAbsolutePath();
        Path csv = SparkBenchmarkData.folder(data, gigabytes);
        long start = System.nanoTime();
        long csvBytes = SparkBenchmarkData.generate(csv, gigabytes);
        System.out.printf(Locale.ROOT, "retail CSV: %.1f MB in %s (%s; generated or found in %.1f s)%n", csvBytes / 1e6,
                csv, SparkBenchmarkData.describe(csv), (System.nanoTime() - start) / 1e9);
        System.out.printf(Locale.ROOT, "JVM %s, %d cores, max heap %d MB; DuckDB memory_limit %s; Spark split %d MB, "
                + "%d shuffle partitions; %d warm-up + %d rounds per phase; load %s%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, memoryLimit,
                splitMb, shufflePartitions, warmup, rounds, SparkBenchmarkMeasures.load());
        if (generateOnly) {
            return 0;
        }
        SparkBenchmarkMeasures.deleteRecursively(work);
        Files.createDirectories(work);

        if (wholeRun) {
            try {
                List<SparkBenchmarkRuns.Side> sides = SparkBenchmarkRuns.measure(work, csv, "local[2]",
                        Map.of("spark.sql.files.maxPartitionBytes", splitMb + "m"), shufflePartitions, warmup, rounds);
                System.out.printf(Locale.ROOT, "%nWhole sluice runs over %.2f GB of CSV, medians of %d rounds; load "
                        + "after: %s%n", csvBytes / 1e9, rounds, SparkBenchmarkMeasures.load());
                for (SparkBenchmarkRuns.Side side : sides) {
                    System.out.printf(Locale.ROOT, "%-40s %9.3f s  CPU %9.3f s  %.1f CPU-s per GB%n", side.name(),
                            side.seconds(), side.cpuSeconds(), side.cpuSeconds() / (csvBytes / 1e9));
                }
                System.out.printf(Locale.ROOT, "ratio Spark / DuckDB: wall %.2f, CPU %.2f%n", sides.get(0).seconds()
                        / sides.get(1).seconds(), sides.get(0).cpuSeconds() / sides.get(1).cpuSeconds());
                return 0;
            } finally {
                SparkBenchmarkMeasures.deleteRecursively(work);
                if (deleteData) {
                    SparkBenchmarkData.delete(csv);
                }
            }
        }
        Path project = work.resolve("retail");
        SparkBenchmarkData.writeProject(Path.of("sql/examples/retail"), project, csv, null);
        Project read = ProjectReader.read(project, Map.of());
        List<PlannedModel> planned = new Pipeline(read, Sluice.VERSION).plan().models();
        Set<String> needed = new LinkedHashSet<>();
        List<Step> steps = new ArrayList<>();
        for (PlannedModel model : planned) {
            needed.addAll(model.upstreamSources());
            switch (model.model().materialized()) {
                case VIEW -> steps.add(new Step(model.model().schema(), model.name(), false, model.executableSql()));
                case TABLE, INCREMENTAL -> steps.add(new Step(model.model().schema(), model.name(), true,
                        model.executableSql()));
                case EPHEMERAL -> { }
            }
        }
        List<Source> sources = read.sources().stream().filter(s -> needed.contains(s.qualifiedName())).toList();
        System.out.printf(Locale.ROOT, "%d sources, %d models built (%d tables)%n", sources.size(), steps.size(),
                steps.stream().filter(Step::table).count());

        List<SparkBenchmarkPhases.Phase> measured = new ArrayList<>();
        try (Connection duckdb = duckdb(work.resolve("duckdb.db"), sources, steps)) {
            SparkBenchmarkPhases phases = new SparkBenchmarkPhases(work, rounds, warmup, splitMb, shufflePartitions,
                    sources, steps, sniffed(duckdb, sources));
            if (!noLocal) {
                measured.add(phases.run("Spark local[2]", 2, "local[2]", Map.of(), duckdb));
            }
            if (!noCluster) {
                try (StandaloneCluster cluster = StandaloneCluster.start(work.resolve("cluster"), 2, 1)) {
                    measured.add(phases.run("standalone, 1 worker", 1, cluster.masterUrl(),
                            cluster.applicationConf(1), duckdb));
                    measured.add(phases.run("standalone, 2 workers", 2, cluster.masterUrl(),
                            cluster.applicationConf(2), duckdb));
                }
            }
        } finally {
            SparkBenchmarkMeasures.deleteRecursively(work);
            if (deleteData) {
                SparkBenchmarkData.delete(csv);
            }
        }
        SparkBenchmarkMeasures.report(measured, csvBytes, rounds, splitMb, shufflePartitions);
        return 0;
    }

    /** Each source's columns and types as DuckDB reads them (its sniffer's, for CSV without declared columns). */
    private static Map<String, Map<String, String>> sniffed(Connection duckdb, List<Source> sources)
            throws SQLException {
        Map<String, Map<String, String>> sniffed = new LinkedHashMap<>();
        try (Statement statement = duckdb.createStatement()) {
            for (Source source : sources) {
                Map<String, String> columns = new LinkedHashMap<>();
                try (ResultSet rows = statement.executeQuery("DESCRIBE " + Sql.qualified(source.schema(),
                        source.table()))) {
                    while (rows.next()) {
                        columns.put(rows.getString(1), rows.getString(2));
                    }
                }
                sniffed.put(source.qualifiedName(), columns);
            }
        }
        return sniffed;
    }

    /**
     * DuckDB, 2 threads, in a database file: the sources as Sluice's files connector reads them (views over the
     * files, read in place; the small returns file, with declared columns and a manifest, copied with its rejects),
     * the models' views.
     */
    private Connection duckdb(Path file, List<Source> sources, List<Step> steps) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET threads = 2");
            statement.execute("SET memory_limit = " + Sql.string(memoryLimit));
            Set<String> schemas = new LinkedHashSet<>();
            for (Source source : sources) {
                if (schemas.add(source.schema())) {
                    statement.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(source.schema()));
                }
                String relation = Sql.qualified(source.schema(), source.table());
                SourceSpec.Files files = (SourceSpec.Files) source.spec();
                if (files.changeDetection() == SourceSpec.ChangeDetection.FULL) {
                    statement.execute("CREATE VIEW " + relation + " AS "
                            + SourceSql.select(DuckDbDialect.INSTANCE, source));
                } else {
                    statement.execute("CREATE TABLE " + relation + " AS " + SourceSql.select(DuckDbDialect.INSTANCE,
                            source, "sluice_rejects_" + source.schema() + "_" + source.table()));
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
}
