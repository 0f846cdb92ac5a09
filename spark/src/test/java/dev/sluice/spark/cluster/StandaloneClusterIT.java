package dev.sluice.spark.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF0;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark SQL jobs through a standalone cluster on loopback (a master and two workers, executors in JVMs of their own:
 * {@link StandaloneCluster}), not local mode, over the Iceberg tables Sluice's DuckDB engine wrote
 * ({@link IcebergOrders}): every snapshot and the current tables read by the executors equal the warehouse's rows, and
 * queries with shuffles (aggregates, joins, windows) give the warehouse's answers, their tasks spread over both
 * executors.
 */
class StandaloneClusterIT {
    @TempDir
    static Path dir;
    static IcebergOrders orders;
    static StandaloneCluster cluster;
    static SparkSession spark;
    /** The executor of every task that ended, as the driver's listener saw them. */
    static final Set<String> TASK_EXECUTORS = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void pipelineThenCluster() {
        orders = IcebergOrders.build(dir);
        cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, 1);
        spark = SparkLake.session(cluster.masterUrl(), orders.lake(), cluster.applicationConf(2));
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd task) {
                TASK_EXECUTORS.add(task.taskInfo().executorId());
            }
        });
        // the process that runs a task: the executors' JVMs, not the test's
        spark.udf().register("pid", (UDF0<Long>) () -> ProcessHandle.current().pid(), DataTypes.LongType);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theApplicationRunsOnTwoExecutorsInJvmsOfTheirOwnOnTheTwoWorkers() {
        assertThat(spark.sparkContext().master()).isEqualTo(cluster.masterUrl()).startsWith("spark://127.0.0.1:");
        assertThat(cluster.aliveWorkers()).isEqualTo(2);
        List<SparkExecutorInfo> executors = List.of(spark.sparkContext().statusTracker().getExecutorInfos());
        // the driver and one executor per worker
        assertThat(executors).hasSize(3);
        // four files, one task each (opening a file costs a whole split): the two single-core executors each take one
        // in the first round of offers
        List<Row> pids = spark.read().option("file-open-cost", Long.toString(128L << 20))
                .table("lake.main.orders_full").selectExpr("pid() AS pid").distinct().collectAsList();
        Set<Long> processes = pids.stream().map(row -> row.getLong(0)).collect(Collectors.toSet());
        assertThat(processes).hasSize(2).doesNotContain(ProcessHandle.current().pid());
        assertThat(processes).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isPresent());
        assertThat(TASK_EXECUTORS).hasSizeGreaterThanOrEqualTo(2).doesNotContain("driver");
    }

    @Test
    void theExecutorsReadEverySnapshotAsTheWarehouseHeldIt() {
        List<List<Object>> snapshots = orders.project().query("SELECT model, run_id, snapshot_id FROM "
                + "sluice.iceberg_snapshots ORDER BY model, version").rows();
        assertThat(snapshots).hasSizeGreaterThanOrEqualTo(IcebergOrders.MODELS.size() * 2);
        for (List<Object> snapshot : snapshots) {
            String model = ((String) snapshot.get(0)).substring("main.".length());
            long run = ((Number) snapshot.get(1)).longValue();
            long id = ((Number) snapshot.get(2)).longValue();
            assertThat(SparkLake.rows(spark.sql("SELECT * FROM lake.main." + model + " VERSION AS OF " + id)
                    .collectAsList())).as("%s snapshot %d of run %d", model, id, run)
                    .isEqualTo(orders.warehouse().get(model).get(run));
        }
        for (String model : IcebergOrders.MODELS) {
            assertThat(SparkLake.rows(spark.sql("SELECT * FROM lake.main." + model).collectAsList())).as(model)
                    .isEqualTo(orders.warehouse().get(model).get(orders.lastRun()));
        }
    }

    @Test
    void queriesWithShufflesGiveTheWarehousesAnswers() {
        // the same SQL on both sides: Spark through the cluster on the lake, DuckDB on the warehouse's views
        List<String> queries = List.of(
                "SELECT region, count(*) AS orders, sum(amount) AS amount, max(ordered_at) AS last_order "
                        + "FROM %s.orders_appended GROUP BY region",
                "SELECT m.id, m.amount, f.quantity, f.order_date FROM %1$s.orders_merged AS m "
                        + "LEFT JOIN %1$s.orders_full AS f ON f.id = m.id AND f.amount = m.amount",
                "SELECT id, region, amount, rank() OVER (PARTITION BY region ORDER BY amount DESC NULLS LAST, id) "
                        + "AS region_rank FROM %s.orders_merged",
                "SELECT t.s, count(DISTINCT t.id) AS ids, sum(t.hu) AS hu, min(t.tz) AS tz FROM %1$s.typed AS t "
                        + "JOIN %1$s.orders_appended AS a ON a.id = t.id GROUP BY t.s");
        for (String query : queries) {
            List<List<String>> warehouse = SparkLake.rows(orders.project().query(String.format(query, "main")));
            assertThat(SparkLake.rows(spark.sql(String.format(query, "lake.main")).collectAsList())).as(query)
                    .isEqualTo(warehouse).isNotEmpty();
        }
    }
}
