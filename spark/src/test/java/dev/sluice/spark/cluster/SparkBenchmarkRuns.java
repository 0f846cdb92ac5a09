package dev.sluice.spark.cluster;

import dev.sluice.ModelResult;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.SourceResult;
import dev.sluice.bench.SparkBenchmarkData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code bench/spark --whole-run}: whole {@code sluice run}s of the same retail project (files sources over the
 * generated CSV, gates on) with {@code engine: duckdb} and with {@code engine: {type: spark, master: …}}, alternating
 * in every round, each a first build into an empty target folder: wall and CPU time (this JVM's and its child JVMs').
 */
final class SparkBenchmarkRuns {
    private SparkBenchmarkRuns() {
    }

    /** One engine's medians. */
    record Side(String name, double seconds, double cpuSeconds) {
    }

    /** Runs both projects {@code warmup + rounds} times, alternating which goes first; returns the two sides. */
    static List<Side> measure(Path work, Path csv, String master, Map<String, String> conf, int shufflePartitions,
            int warmup, int rounds) throws Exception {
        Path duckdb = work.resolve("run-duckdb");
        Path spark = work.resolve("run-spark");
        SparkBenchmarkData.writeProject(Path.of("sql/examples/retail"), duckdb, csv, null);
        StringBuilder engine = new StringBuilder("engine:\n  type: spark\n  master: \"" + master + "\"\n  conf:\n"
                + "    spark.sql.shuffle.partitions: \"" + shufflePartitions + "\"\n");
        conf.forEach((key, value) -> engine.append("    ").append(key).append(": \"").append(value).append("\"\n"));
        SparkBenchmarkData.writeProject(Path.of("sql/examples/retail"), spark, csv, engine.toString());
        // Both copy the generated sources into the warehouse: on Spark a source read in place (a view over the
        // files' temporary view) is refused by Spark ("Cannot create view ... that references temporary view")
        for (Path project : List.of(duckdb, spark)) {
            Path yml = project.resolve("sluice.yml");
            Files.writeString(yml, Files.readString(yml).replaceAll("(path: [^\\n]*" + Pattern.quote(csv.toString())
                    + "[^\\n]*\\n    format: csv\\n)", "$1    load: copy\n"));
        }
        List<Double> duckdbSeconds = new ArrayList<>();
        List<Double> duckdbCpu = new ArrayList<>();
        List<Double> sparkSeconds = new ArrayList<>();
        List<Double> sparkCpu = new ArrayList<>();
        for (int i = 0; i < warmup + rounds; i++) {
            boolean measured = i >= warmup;
            String label = measured ? "round " + (i - warmup + 1) : "warm-up " + (i + 1);
            double[] first = run(i % 2 == 0 ? duckdb : spark);
            double[] second = run(i % 2 == 0 ? spark : duckdb);
            double[] d = i % 2 == 0 ? first : second;
            double[] s = i % 2 == 0 ? second : first;
            System.out.printf(Locale.ROOT, "%-9s sluice run on Spark %s %.3f s (CPU %.3f s)  on DuckDB %.3f s (CPU "
                    + "%.3f s)  ratio %.2f (CPU %.2f)  load %s%n", label, master, s[0], s[1], d[0], d[1], s[0] / d[0],
                    s[1] / d[1], SparkBenchmarkMeasures.load());
            if (measured) {
                duckdbSeconds.add(d[0]);
                duckdbCpu.add(d[1]);
                sparkSeconds.add(s[0]);
                sparkCpu.add(s[1]);
            }
        }
        return List.of(new Side("sluice run, engine spark " + master, SparkBenchmarkMeasures.median(sparkSeconds),
                SparkBenchmarkMeasures.median(sparkCpu)), new Side("sluice run, engine duckdb",
                SparkBenchmarkMeasures.median(duckdbSeconds), SparkBenchmarkMeasures.median(duckdbCpu)));
    }

    /** A first build of the project (its target folder emptied): wall and CPU seconds. */
    private static double[] run(Path project) {
        SparkBenchmarkMeasures.deleteRecursively(project.resolve("target"));
        long cpu = SparkBenchmarkMeasures.cpuNanos();
        long start = System.nanoTime();
        RunResult result = Sluice.open(project).run(RunOptions.defaults());
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (SparkBenchmarkMeasures.cpuNanos() - cpu) / 1e9;
        // each run as it ends: a Spark run at 1 GB takes many minutes on a loaded machine
        System.out.printf(Locale.ROOT, "  sluice run of %s: %.3f s (CPU %.3f s), %s; load %s%n", project.getFileName(),
                seconds, cpuSeconds, result.succeeded() ? "succeeded" : "failed", SparkBenchmarkMeasures.load());
        if (!result.succeeded()) {
            throw new IllegalStateException("the run of " + project + " failed: " + result.models().stream()
                    .map(ModelResult::error).filter(Objects::nonNull).toList() + result.sources().stream()
                    .map(SourceResult::error).filter(Objects::nonNull).toList());
        }
        return new double[] {seconds, cpuSeconds};
    }
}
