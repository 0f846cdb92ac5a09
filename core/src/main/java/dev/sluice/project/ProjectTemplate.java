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
 * The starter pipeline that {@code sluice init DIR} writes, showing the main ideas in one {@code init} + {@code run}:
 * a synthetic source and a files source tracked by its manifest, a staging view, a mart table, a table whose quality
 * rule quarantines a bad row, an incremental model, and a test file. Stateless.
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
            Files.createDirectories(folder.resolve("data/returns"));
            Files.createDirectories(folder.resolve("tests"));
            Files.writeString(folder.resolve("sluice.yml"), sluiceYml(name), StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("models/staging/stg_orders.sql"), STG_ORDERS, StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("models/marts/daily_revenue.sql"), DAILY_REVENUE, StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("models/marts/returned_orders.sql"), RETURNED_ORDERS, StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("models/marts/returns_log.sql"), RETURNS_LOG, StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("data/returns/returns-2024-01.csv"), RETURNS_CSV, StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("tests/returns_have_quantities.sql"), RETURNS_TEST, StandardCharsets.UTF_8);
            Files.writeString(folder.resolve(".gitignore"), "target/\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.USAGE, e, "Cannot create a pipeline in %s: %s; check the folder's "
                    + "permissions", dir, IoFailures.describe(e));
        }
    }

    private static boolean isEmpty(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.USAGE, e, "Cannot list %s: %s; check the folder's permissions", folder,
                    IoFailures.describe(e));
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
                  # files dropped into data/returns/: each run reads only new or changed files
                  raw.returns:
                    type: files
                    path: data/returns/*.csv
                    header: true
                    columns: { order_id: BIGINT, returned_on: DATE, quantity: INTEGER, reason: VARCHAR }
                    change_detection: manifest
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

    static final String RETURNED_ORDERS = """
            /*---
            materialized: table
            description: Returns with a known order; a return without one is set aside in returned_orders__quarantine.
            tags: [marts]
            quality:
              - not_null: [order_id]
                severity: quarantine
            ---*/
            SELECT order_id, returned_on, quantity, reason
            FROM raw.returns
            """;

    static final String RETURNS_LOG = """
            /*---
            materialized: incremental
            incremental: { strategy: append }
            description: Every return, appended as new files arrive in data/returns (a run reads only those).
            tags: [marts]
            ---*/
            SELECT order_id, returned_on, quantity
            FROM raw.returns
            WHERE order_id IS NOT NULL
            """;

    static final String RETURNS_CSV = """
            order_id,returned_on,quantity,reason
            3,2024-01-05,1,damaged
            17,2024-01-09,2,wrong size
            ,2024-01-12,1,no order number
            42,2024-01-20,1,late delivery
            """;

    static final String RETURNS_TEST = """
            /*---
            model: returns_log
            description: Every return gives back at least one item.
            ---*/
            SELECT * FROM this WHERE quantity <= 0
            """;
}
