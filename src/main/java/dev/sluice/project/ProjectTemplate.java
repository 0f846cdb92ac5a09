package dev.sluice.project;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The starter pipeline that {@code sluice init DIR} writes: a synthetic source, a staging view and a mart table,
 * so that a first {@code sluice run} works without any data. Stateless.
 */
public final class ProjectTemplate {
    private ProjectTemplate() {
    }

    /**
     * Writes the starter pipeline into {@code dir}, creating it if needed; the project is named after the folder.
     *
     * @throws SluiceException if {@code dir} is a file or a folder that is not empty, or cannot be written
     */
    public static void write(Path dir) {
        Path folder = dir.toAbsolutePath().normalize();
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot create a pipeline in %s: it is a file; choose a new or empty folder", dir);
        }
        if (Files.isDirectory(folder) && !isEmpty(folder)) {
            throw new SluiceException(ErrorCode.USAGE,
                    "Cannot create a pipeline in %s: the folder is not empty; choose a new or empty folder", dir);
        }
        String name = projectName(folder);
        try {
            Files.createDirectories(folder.resolve("models/staging"));
            Files.createDirectories(folder.resolve("models/marts"));
            Files.writeString(folder.resolve("sluice.yml"), sluiceYml(name), StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("models/staging/stg_orders.sql"), STG_ORDERS, StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("models/marts/daily_revenue.sql"), DAILY_REVENUE, StandardCharsets.UTF_8);
            Files.writeString(folder.resolve(".gitignore"), "target/\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.INTERNAL, e, "Cannot create a pipeline in %s: %s; check the folder's permissions",
                    dir, e.getMessage());
        }
    }

    private static boolean isEmpty(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.INTERNAL, e, "Cannot list %s: %s; check the folder's permissions", folder, e.getMessage());
        }
    }

    /** The folder name made into a valid project name. */
    static String projectName(Path folder) {
        Path fileName = folder.getFileName();
        String name = fileName == null ? "" : fileName.toString().replaceAll("[^A-Za-z0-9_.-]", "_");
        if (name.isEmpty() || name.startsWith(".") || name.startsWith("-")) {
            name = "pipeline" + name;
        }
        return name;
    }

    static String sluiceYml(String name) {
        // DuckDB names the database after the file: raw.duckdb (or main.duckdb) would clash with the schema raw (main)
        String stem = name.toLowerCase(Locale.ROOT);
        String warehouse = stem.equals("raw") || stem.equals("main") ? name + "_warehouse" : name;
        return """
                name: '%s'
                warehouse: 'target/%s.duckdb'
                vars:
                  min_amount: 10
                defaults:
                  materialized: view
                  schema: main
                sources:
                  # generated data, so that the pipeline runs before any real data is wired in
                  raw.orders:
                    type: synthetic
                    rows: 1000
                    seed: 42
                    columns:
                      order_id: { type: BIGINT, generator: sequence }
                      customer_id: { type: BIGINT, generator: uniform, min: 1, max: 100 }
                      amount: { type: 'DECIMAL(10,2)', generator: uniform, min: 1, max: 500 }
                      order_date: { type: DATE, generator: date, start: 2024-01-01, end: 2024-03-31 }
                      status: { type: VARCHAR, generator: choice, values: [placed, shipped, returned] }
                """.formatted(name, warehouse);
    }

    static final String STG_ORDERS = """
            /*---
            materialized: view
            description: Orders that were not returned and reach the minimum amount.
            tags: [staging]
            ---*/
            SELECT
                order_id,
                customer_id,
                amount AS order_amount,
                order_date,
                status AS order_status
            FROM raw.orders
            WHERE status <> 'returned'
              AND amount >= ${min_amount}
            """;

    static final String DAILY_REVENUE = """
            /*---
            materialized: table
            description: Revenue and number of orders per day.
            tags: [marts]
            columns:
              revenue: { description: Sum of order amounts of the day }
            ---*/
            SELECT
                order_date,
                COUNT(*) AS order_count,
                SUM(order_amount) AS revenue
            FROM stg_orders
            GROUP BY order_date
            ORDER BY order_date
            """;
}
