package dev.sluice.spark.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.engine.Sql;
import dev.sluice.postgres.PostgresServer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retail pipeline run whole through a Spark standalone cluster on loopback (a master and two workers, executors
 * in JVMs of their own), its catalog in PostgreSQL (embedded), its tables compared row by row with a DuckDB run.
 */
class StandaloneRetailIT {
    @TempDir
    static Path dir;
    static StandaloneCluster cluster;
    static ProjectFixture onDuckDb;

    @BeforeAll
    static void clusterAndDuckDbRun() {
        onDuckDb = ProjectFixture.example("retail", dir.resolve("duckdb"));
        assertThat(onDuckDb.run().succeeded()).isTrue();
        cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, 1);
        // the engine's settings from system properties (SparkSettings): the cluster and its application's conf
        System.setProperty("sluice.spark.master", cluster.masterUrl());
        cluster.applicationConf(2).forEach((key, value) -> System.setProperty("sluice.spark.conf." + key, value));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theRetailPipelineRunsThroughTwoWorkersWithItsCatalogInPostgres() {
        String database = PostgresServer.newDatabase("standalone_retail");
        ProjectFixture retail = ProjectFixture.example("retail", dir.resolve("spark"));
        retail.replace("sluice.yml", "name: retail\n", "name: retail\nengine: spark\ncatalog:\n  type: postgres\n"
                + "  url: " + PostgresServer.url(database) + "\n  user: " + PostgresServer.user() + "\n");

        RunResult run = retail.run();

        assertThat(run.succeeded()).as(run.toString()).isTrue();
        Sluice sluice = retail.open();
        assertThat(sluice.runs(1)).extracting(dev.sluice.Run::status).containsExactly("success");
        assertThat(retail.root().resolve("target/retail_catalog.duckdb")).doesNotExist();
        for (String relation : List.of("staging.stg_orders", "marts.orders", "marts.product_sales",
                "marts.customer_lifetime_value", "marts.daily_revenue", "marts.customers", "marts.returns_log")) {
            List<String> columns = onDuckDb.query("SELECT * FROM " + relation + " LIMIT 0").columns();
            String select = "SELECT " + String.join(", ", columns.stream().map(Sql::identifier).toList()) + " FROM "
                    + relation;
            List<List<Object>> expected = normal(onDuckDb.query(select).rows());
            assertThat(expected).as("rows of %s", relation).isNotEmpty();
            assertThat(normal(sluice.query(select).rows())).as("rows of %s", relation).isEqualTo(expected);
        }
    }

    /** Rows sorted, numbers compared by value, a midnight timestamp as its day (as SparkRunIT compares them). */
    private static List<List<Object>> normal(List<List<Object>> rows) {
        List<List<Object>> normal = new ArrayList<>();
        for (List<Object> row : rows) {
            List<Object> values = new ArrayList<>();
            for (Object value : row) {
                if (value instanceof Number number) {
                    values.add(new BigDecimal(number.toString()).stripTrailingZeros().toPlainString());
                } else if (value instanceof LocalDateTime time && time.toLocalTime().toSecondOfDay() == 0) {
                    values.add(time.toLocalDate());
                } else {
                    values.add(value);
                }
            }
            normal.add(values);
        }
        normal.sort(Comparator.comparing(Object::toString));
        return normal;
    }
}
