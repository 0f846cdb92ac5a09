package dev.sluice.spark.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.engine.Sql;
import dev.sluice.engine.spark.SameRows;
import dev.sluice.postgres.PostgresServer;
import java.nio.file.Path;
import java.util.List;
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
            List<List<Object>> expected = SameRows.normal(onDuckDb.query(select).rows());
            assertThat(expected).as("rows of %s", relation).isNotEmpty();
            assertThat(SameRows.normal(sluice.query(select).rows())).as("rows of %s", relation).isEqualTo(expected);
        }
    }
}
