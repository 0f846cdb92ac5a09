package dev.sluice.bench;

import static dev.sluice.bench.Timings.median;

import dev.sluice.Sluice;
import dev.sluice.lineage.ColumnLineage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Lineage benchmark: a generated project of 1,000 models with 20 columns each (20,000 columns), each model joining
 * 3–8 earlier models (or sources) on their key and computing every column from its inputs. Measures computing all
 * column lineage (planning included, since lineage comes from the plans), one upstream and one downstream query
 * for a column deep in the graph, and a full lineage report (every column's upstream).
 */
@Command(name = "bench/run lineage", mixinStandardHelpOptions = true,
        description = "Times column lineage over a generated project of 1,000 models and 20,000 columns.")
public final class LineageBenchmark implements Callable<Integer> {
    private static final int COLUMNS = 20;

    @Option(names = "--models", description = "Models to generate (default ${DEFAULT-VALUE}).")
    int models = 1000;

    @Option(names = "--iterations", description = "Measured iterations (default ${DEFAULT-VALUE}).")
    int iterations = 5;

    @Option(names = "--warmup", description = "Warm-up iterations (default ${DEFAULT-VALUE}).")
    int warmup = 1;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LineageBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "sluice-lineage");
        generate(dir, models, 42);
        System.out.printf(Locale.ROOT, "Lineage benchmark: %d models x %d columns = %d columns, in %s%n", models,
                COLUMNS, models * COLUMNS, dir);
        List<Double> all = new ArrayList<>();
        List<Double> upstream = new ArrayList<>();
        List<Double> downstream = new ArrayList<>();
        List<Double> report = new ArrayList<>();
        List<Double> html = new ArrayList<>();
        String deep = String.format(Locale.ROOT, "main.m%04d.c%02d", models - 1, COLUMNS - 1);
        String shallow = "raw.s0.c00";
        for (int round = 0; round < warmup + iterations; round++) {
            long start = System.nanoTime();
            Sluice sluice = Sluice.open(dir);
            List<dev.sluice.plan.PlannedModel> planned = Internals.models(sluice);
            ColumnLineage lineage = ColumnLineage.of(planned);
            double allSeconds = seconds(start);
            start = System.nanoTime();
            int up = lineage.upstream(deep, 0).size();
            double upSeconds = seconds(start);
            start = System.nanoTime();
            int down = lineage.downstream(shallow, 0).size();
            double downSeconds = seconds(start);
            start = System.nanoTime();
            long edges = 0;
            for (int m = 0; m < models; m++) {
                for (int c = 0; c < COLUMNS; c++) {
                    edges += lineage.upstream(String.format(Locale.ROOT, "main.m%04d.c%02d", m, c), 1).size();
                }
            }
            double reportSeconds = seconds(start);
            start = System.nanoTime();
            int htmlLength = dev.sluice.docs.DocsReport.html(new dev.sluice.docs.DocsReport.Contents(
                    sluice.project().name(), planned, Internals.project(sluice).sources(), lineage, java.util.Map.of(),
                    java.util.Map.of(), java.time.Instant.now())).length();
            double htmlSeconds = seconds(start);
            boolean measured = round >= warmup;
            System.out.printf(Locale.ROOT, "%s %d  all lineage %.3f s  upstream(%s) %.1f ms (%d edges)  "
                    + "downstream(%s) %.1f ms (%d edges)  report %.3f s (%d edges)  docs html %.3f s (%,d chars)%n",
                    measured ? "iteration" : "warm-up  ", measured ? round - warmup + 1 : round + 1, allSeconds, deep,
                    upSeconds * 1000, up, shallow, downSeconds * 1000, down, reportSeconds, edges, htmlSeconds, htmlLength);
            if (measured) {
                all.add(allSeconds);
                upstream.add(upSeconds);
                downstream.add(downSeconds);
                report.add(reportSeconds);
                html.add(htmlSeconds);
            }
        }
        System.out.printf(Locale.ROOT, "median: all lineage %.3f s (target < 5 s), upstream query %.1f ms and downstream "
                + "query %.1f ms (target < 50 ms, floor 2 s), full report %.3f s and as the sluice docs HTML %.3f s "
                + "(target < 2 s, floor 10 s)%n",
                median(all), median(upstream) * 1000, median(downstream) * 1000, median(report), median(html));
        return 0;
    }

    /** Writes the project: sources s0..s3 and models m0000.. each reading 3–8 earlier relations joined on c00. */
    static void generate(Path root, int count, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder yml = new StringBuilder("name: lineage_bench\nwarehouse: target/lineage_bench.duckdb\n"
                + "sources:\n");
        for (int s = 0; s < 4; s++) {
            yml.append("  raw.s").append(s).append(":\n    type: synthetic\n    rows: 10\n    columns:\n");
            for (int c = 0; c < COLUMNS; c++) {
                yml.append(String.format(Locale.ROOT, "      c%02d: { type: BIGINT, generator: sequence }%n", c));
            }
        }
        Files.writeString(root.resolve("sluice.yml"), yml.toString());
        Path models = Files.createDirectories(root.resolve("models"));
        for (int i = 0; i < count; i++) {
            // no more inputs than there are distinct relations to read: 4 sources and the earlier models
            int inputs = Math.min(3 + random.nextInt(6), 4 + i);
            List<String> from = new ArrayList<>();
            while (from.size() < inputs) {
                String input = i == 0 || random.nextInt(5) == 0 ? "raw.s" + random.nextInt(4)
                        : String.format(Locale.ROOT, "m%04d", i - 1 - random.nextInt(Math.min(i, 50)));
                if (!from.contains(input)) {
                    from.add(input);
                }
            }
            StringBuilder sql = new StringBuilder("SELECT ");
            for (int c = 0; c < COLUMNS; c++) {
                int a = random.nextInt(inputs);
                int b = random.nextInt(inputs);
                sql.append(c == 0 ? "" : ", ").append(c == 0 ? "t0.c00" : String.format(Locale.ROOT,
                        "t%d.c%02d + t%d.c%02d", a, random.nextInt(COLUMNS), b, random.nextInt(COLUMNS)))
                        .append(String.format(Locale.ROOT, " AS c%02d", c));
            }
            sql.append("\nFROM ").append(from.get(0)).append(" AS t0");
            for (int t = 1; t < inputs; t++) {
                sql.append("\nJOIN ").append(from.get(t)).append(" AS t").append(t).append(" ON t").append(t)
                        .append(".c00 = t0.c00");
            }
            Files.writeString(models.resolve(String.format(Locale.ROOT, "m%04d.sql", i)), sql.append('\n').toString());
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

}
