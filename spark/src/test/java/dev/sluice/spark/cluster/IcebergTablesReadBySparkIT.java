package dev.sluice.spark.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's "readers that are not Sluice (Spark with the Iceberg runtime) read the table": the Iceberg tables of
 * {@link IcebergOrders}, written by Sluice's DuckDB engine in three runs, read by Spark with Iceberg's runtime and
 * nothing of Sluice (the lake folder as a Hadoop catalog, local[2]): every snapshot Sluice recorded (time travel by
 * snapshot id) and the current tables, compared row by row with what the warehouse held after each run.
 */
class IcebergTablesReadBySparkIT {
    @TempDir
    static Path dir;
    static IcebergOrders orders;
    static SparkSession spark;

    @BeforeAll
    static void threeRunsThenSpark() {
        orders = IcebergOrders.build(dir);
        spark = SparkLake.session("local[2]", orders.lake(), Map.of());
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void sparkReadsEverySnapshotSluiceRecordedAsTheWarehouseHeldItAfterThatRun() {
        List<List<Object>> snapshots = orders.project().query("SELECT model, run_id, snapshot_id FROM "
                + "sluice.iceberg_snapshots ORDER BY model, version").rows();
        Map<String, Set<Long>> recorded = new HashMap<>();
        for (List<Object> snapshot : snapshots) {
            String model = ((String) snapshot.get(0)).substring("main.".length());
            long run = ((Number) snapshot.get(1)).longValue();
            long id = ((Number) snapshot.get(2)).longValue();
            recorded.computeIfAbsent(model, m -> new LinkedHashSet<>()).add(id);
            List<Row> read = spark.sql("SELECT * FROM lake.main." + model + " VERSION AS OF " + id).collectAsList();
            assertThat(SparkLake.rows(read)).as("%s snapshot %d of run %d", model, id, run)
                    .isEqualTo(orders.warehouse().get(model).get(run)).isNotEmpty();
        }
        // every model recorded a snapshot in every run (each run changed them all), and Spark's history holds them
        assertThat(recorded.keySet()).containsExactlyInAnyOrderElementsOf(IcebergOrders.MODELS);
        assertThat(recorded.values()).allSatisfy(ids -> assertThat(ids).hasSize(3));
        for (String model : IcebergOrders.MODELS) {
            List<Long> history = spark.sql("SELECT snapshot_id FROM lake.main." + model + ".snapshots").collectAsList()
                    .stream().map(row -> row.getLong(0)).toList();
            assertThat(history).as(model).containsAll(recorded.get(model));
        }
    }

    @Test
    void sparkReadsTheCurrentTablesAsTheWarehouseHasThem() {
        for (String model : IcebergOrders.MODELS) {
            assertThat(SparkLake.rows(spark.sql("SELECT * FROM lake.main." + model).collectAsList())).as(model)
                    .isEqualTo(orders.warehouse().get(model).get(orders.lastRun()));
        }
        // the merged table: one row per key, the last batch's values
        assertThat(spark.sql("SELECT id, CAST(amount AS STRING) FROM lake.main.orders_merged ORDER BY id")
                .collectAsList().stream().map(Row::toString).toList()).containsExactly("[1,10.50]", "[2,99.00]",
                        "[3,30.00]", "[4,41.00]", "[5,null]", "[6,60.00]", "[7,70.00]");
        assertThat(spark.sql("SELECT count(*) FROM lake.main.orders_appended").first().getLong(0)).isEqualTo(9);
    }

    @Test
    void sparkSeesTheTypesPartitionsAndSortOrderSluiceWrote() {
        assertThat(List.of(spark.table("lake.main.typed").schema().fields()).stream()
                .map(f -> f.name() + " " + f.dataType().simpleString()).toList()).containsExactly("id bigint",
                        "ti int", "ui bigint", "ub decimal(20,0)", "hu decimal(38,0)", "b boolean", "f float",
                        "d double", "d6 decimal(18,6)", "d38 decimal(38,2)", "s string", "u string", "dt date",
                        "ts timestamp_ntz", "tz timestamp", "n double");
        // orders_full (every order of the three batches): partitioned by region, one data file per region, sorted by
        // id, as Iceberg's metadata tables give them
        assertThat(spark.sql("SELECT partition.region, record_count FROM lake.main.orders_full.files "
                + "ORDER BY partition.region").collectAsList().stream().map(Row::toString).toList())
                .containsExactly("[east,2]", "[north,2]", "[south,3]", "[west,2]");
        assertThat(spark.sql("SELECT sort_order_id FROM lake.main.orders_full.files").collectAsList())
                .allSatisfy(row -> assertThat(row.getInt(0)).isPositive());
        assertThat(spark.sql("SELECT id FROM lake.main.orders_full WHERE region = 'south' ORDER BY id")
                .collectAsList().stream().map(row -> row.getLong(0)).toList()).containsExactly(2L, 2L, 6L);
    }
}
