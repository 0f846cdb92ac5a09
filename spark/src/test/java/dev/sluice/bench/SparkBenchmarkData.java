package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code bench/spark}'s input (issue 17): the retail CSV of {@code bench/scale}'s streaming generator
 * ({@link RetailCsv}, the same folders {@code target/bench-scale/retail-<N>-gb}, reused between the two benchmarks)
 * and a copy of the retail example reading it as {@code type: files} sources, as {@code bench/scale} writes it with
 * default settings. Lives in the bench package (in the spark module's test tree) to reach the package-private
 * generator; the benchmark itself is {@code dev.sluice.spark.cluster.SparkBenchmark}.
 */
public final class SparkBenchmarkData {
    private SparkBenchmarkData() {
    }

    /** The folder holding {@code gigabytes} of generated retail CSV under {@code data} (bench/scale's naming). */
    public static Path folder(Path data, double gigabytes) {
        return data.toAbsolutePath().resolve(String.format(Locale.ROOT, "retail-%s-gb", gigabytes)).normalize();
    }

    /** Writes the CSV into {@code folder} unless it is complete already; returns its bytes of CSV. */
    public static long generate(Path folder, double gigabytes) throws IOException {
        return RetailCsv.generate(folder, Math.round(gigabytes * 1e9));
    }

    /** What the generator wrote ("N orders"). */
    public static String describe(Path folder) throws IOException {
        return Files.readString(folder.resolve(RetailCsv.DONE)).strip();
    }

    /** Deletes a generated folder (the data is large; the next run writes it again). */
    public static void delete(Path folder) {
        Timings.deleteRecursively(folder);
    }

    /**
     * The retail example ({@code example}: models, tests, data) copied to {@code project}, its four synthetic
     * sources replaced by files sources over the CSV in {@code csv}; {@code engine} is the {@code engine:} block
     * ({@code null} for the default, DuckDB).
     */
    public static void writeProject(Path example, Path project, Path csv, String engine) throws IOException {
        Timings.deleteRecursively(project);
        Files.createDirectories(project);
        Timings.copyRecursively(example.resolve("models"), project.resolve("models"));
        Timings.copyRecursively(example.resolve("tests"), project.resolve("tests"));
        Timings.copyRecursively(example.resolve("data"), project.resolve("data"));
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
                """.formatted(csv));
        if (engine != null) {
            yml.append(engine.strip()).append('\n');
        }
        yml.append("sources:\n");
        for (String[] source : new String[][] {{"customers", "customers.csv"}, {"products", "products.csv"},
                {"orders", "orders/*.csv"}, {"order_items", "order_items/*.csv"}}) {
            yml.append("  raw.").append(source[0]).append(":\n    type: files\n    path: ")
                    .append(csv.resolve(source[1])).append("\n    format: csv\n");
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
        Files.writeString(project.resolve("sluice.yml"), yml.toString());
    }
}
