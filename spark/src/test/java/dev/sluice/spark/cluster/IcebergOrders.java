package dev.sluice.spark.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.Run;
import dev.sluice.Sluice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Core's iceberg_orders pipeline ({@code storage: { format: iceberg }}: a table rebuilt each run, an append, a merge by
 * key) with a model of every type Spark maps, run three times by Sluice's DuckDB engine ({@code sluice run} in a JVM
 * of its own: see {@link SluiceProcess}), a batch of new and changed orders before each later run; and what the
 * warehouse held after each run, for readers that are not Sluice to be compared with.
 *
 * @param warehouse model → run id → the rows of {@code main.<model>} after that run (in {@link SparkLake#value} form)
 * @param runs the runs' ids, in order
 */
record IcebergOrders(ProjectFixture project, Map<String, Map<Long, List<List<String>>>> warehouse, List<Long> runs) {
    static final List<String> MODELS = List.of("orders_full", "orders_appended", "orders_merged", "typed");
    /** Every DuckDB type whose Iceberg type Spark maps (Iceberg's time has no Spark type). */
    static final String TYPED = "/*---\nmaterialized: table\nstorage: { format: iceberg }\n---*/\n"
            + "SELECT id, CAST(id AS TINYINT) AS ti, CAST(id * 2 AS UINTEGER) AS ui, "
            + "CAST(18446744073709551615 - id AS UBIGINT) AS ub, CAST('170141183460469231731687303715884105' AS HUGEINT) "
            + "+ id AS hu, id % 2 = 0 AS b, CAST(id AS FLOAT) / 4 AS f, CAST(id AS DOUBLE) / 3 AS d, "
            + "CAST(-0.000001 * id AS DECIMAL(18,6)) AS d6, CAST(12345678901234567890.12 AS DECIMAL(38,2)) + id AS d38, "
            + "region AS s, CAST('0b2f5e0c-8c5a-4d6e-9c1a-2f3b4c5d6e7f' AS UUID) AS u, CAST(ordered_at AS DATE) AS dt, "
            + "ordered_at AS ts, paid_at AS tz, CAST(NULL AS DOUBLE) AS n\nFROM raw.orders\n";

    /** Copies the pipeline into {@code dir} and runs it three times. */
    static IcebergOrders build(Path dir) {
        ProjectFixture project = ProjectFixture.at(ProjectFixture.copyFolder(
                ProjectFixture.REPOSITORY.resolve("core/src/test/resources/projects/iceberg_orders"),
                dir.resolve("iceberg_orders")));
        project.write("models/typed.sql", TYPED);
        IcebergOrders orders = new IcebergOrders(project, new HashMap<>(), new ArrayList<>());
        orders.run(null, null, 0);
        orders.run("b.csv", "2,south,2024-04-01 09:00:00,,99.00,2\n6,south,2024-04-02 09:00:00,"
                + "2024-04-02 10:00:00+01,60.00,6\n", 5);
        orders.run("c.csv", "4,west,2024-05-01 09:00:00,,41.00,4\n7,east,2024-05-02 09:00:00,,70.00,7\n", 10);
        return orders;
    }

    /** The project's lake folder: Iceberg's Hadoop catalog, namespace {@code main}. */
    Path lake() {
        return project.root().resolve("target/lake");
    }

    /** The last run's id. */
    long lastRun() {
        return runs.get(runs.size() - 1);
    }

    private void run(String file, String rows, int order) {
        try {
            if (file != null) {
                Path written = project.write("data/" + file, "id,region,ordered_at,paid_at,amount,quantity\n" + rows);
                Files.setLastModifiedTime(written, FileTime.from(Instant.now().plusSeconds(order)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SluiceProcess.sluice("run", project.root().toString());
        Sluice sluice = project.open();
        List<Run> last = sluice.runs(1);
        assertThat(last).singleElement().satisfies(run -> assertThat(run.status()).isEqualTo("success"));
        long runId = last.get(0).runId();
        runs.add(runId);
        for (String model : MODELS) {
            warehouse.computeIfAbsent(model, m -> new HashMap<>()).put(runId,
                    SparkLake.rows(sluice.query("SELECT * FROM main." + model)));
        }
    }
}
