package dev.sluice.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ModelRun;
import dev.sluice.ProjectFixture;
import dev.sluice.RunResult;
import dev.sluice.engine.Sql;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole {@code sluice run} of the retail example on Spark local[2], through the API and through the CLI: its
 * catalog in a DuckDB file of its own beside the Spark warehouse, its published tables identical row by row to a
 * DuckDB run of the same folder.
 */
class SparkRunIT {
    /** The retail example's published relations (int_order_totals is ephemeral). */
    static final List<String> PUBLISHED = List.of("staging.stg_customers", "staging.stg_orders",
            "staging.stg_order_items", "staging.stg_products", "staging.stg_returns", "marts.orders",
            "marts.product_sales", "marts.customer_lifetime_value", "marts.daily_revenue");

    @TempDir
    static Path dir;
    static ProjectFixture onDuckDb;

    @BeforeAll
    static void localTwoCoresAndADuckDbRun() {
        System.setProperty(SparkSettings.MASTER_PROPERTY, "local[2]");
        onDuckDb = ProjectFixture.example("retail", dir.resolve("duckdb"));
        assertThat(onDuckDb.run().succeeded()).isTrue();
    }

    @Test
    void theRetailExampleRunsWholeOnSparkToDuckDbsTables() {
        ProjectFixture retail = ProjectFixture.example("retail", dir.resolve("api"));
        retail.replace("sluice.yml", "name: retail\n", "name: retail\nengine: spark\n");

        RunResult run = retail.run();

        assertThat(run.succeeded()).as(run.toString()).isTrue();
        assertThat(retail.root().resolve("target/retail_catalog.duckdb")).isRegularFile();
        assertThat(retail.root().resolve("target/retail.duckdb/catalog.sqlite")).isRegularFile();
        assertSameTables(retail);
        // each table's build recorded the Iceberg snapshot it published, with its model run; views publish none
        List<ModelRun> models = retail.open().modelRuns(run.runId());
        assertThat(models).filteredOn(m -> !m.materialized().equals("table") && !m.materialized().equals("incremental"))
                .isNotEmpty().allSatisfy(m -> assertThat(m.snapshotId()).as(m.model()).isNull());
        List<ModelRun> tables = models.stream().filter(m -> m.materialized().equals("table")
                || m.materialized().equals("incremental")).toList();
        assertThat(tables).extracting(ModelRun::model).contains("marts.orders", "marts.returns_log");
        for (ModelRun table : tables) {
            assertThat(table.snapshotId()).as(table.model()).isEqualTo(retail.query("SELECT snapshot_id FROM "
                    + table.model() + ".snapshots ORDER BY committed_at DESC LIMIT 1").rows().get(0).get(0));
        }
        // DuckDB's own tables have no snapshots
        assertThat(onDuckDb.open().modelRuns(1)).isNotEmpty().allSatisfy(m -> assertThat(m.snapshotId()).isNull());
    }

    @Test
    void theCommandLineRunsTheRetailExampleOnSparkLocalTwo() {
        ProjectFixture retail = ProjectFixture.example("retail", dir.resolve("cli"));

        String out = ProjectFixture.sluice(0, "run", retail.root().toString(), "--engine", "spark", "--master",
                "local[2]");

        assertThat(out).contains("stg_orders").contains("customer_lifetime_value");
        assertThat(retail.root().resolve("target/retail_catalog.duckdb")).isRegularFile();
        assertSameTablesOn(retail.root());
    }

    @Test
    void aFilesSourceThatDuckDbWouldReadInPlaceIsCopiedOnSparkAndInPlaceIsRefusedSayingWhy() {
        ProjectFixture shop = ProjectFixture.at(dir.resolve("in_place"));
        shop.files("sluice.yml", "name: shop\nengine: spark\nsources:\n  raw.orders:\n    type: files\n"
                + "    path: data/orders.csv\n",
                "data/orders.csv", "order_id,customer,amount\n1,ann,10.50\n2,bob,20.00\n3,ann,5.25\n",
                "models/totals.sql", "/*---\nmaterialized: table\n---*/\n"
                        + "SELECT customer, sum(amount) AS total FROM raw.orders GROUP BY customer");

        RunResult copied = shop.run();

        assertThat(copied.succeeded()).as(copied.toString()).isTrue();
        assertThat(SameRows.normal(shop.query("SELECT customer, total FROM main.totals ORDER BY customer").rows()))
                .containsExactly(List.of("ann", "15.75"), List.of("bob", "20"));

        shop.replace("sluice.yml", "    path: data/orders.csv\n", "    path: data/orders.csv\n    load: in_place\n");
        RunResult refused = shop.run();

        assertThat(refused.succeeded()).isFalse();
        assertThat(refused.sources().get(0).error()).isEqualTo("Cannot load source raw.orders (sluice.yml:4:3) in "
                + "place: engine spark keeps no view over files in its warehouse (Spark reads them through a temporary "
                + "view of one session), which needs its rows copied into the warehouse; set load: copy on the source, "
                + "or remove what needs the copy");
    }

    @Test
    void readCommandsWorkWhileARunOnSparkHoldsTheProjectsCatalog() throws Exception {
        ProjectFixture shop = ProjectFixture.at(dir.resolve("reading"));
        shop.files("sluice.yml", "name: shop\nengine: spark\nsources:\n  raw.orders:\n    type: files\n"
                + "    path: data/orders.csv\n    load: copy\n",
                "data/orders.csv", "order_id,customer,amount\n1,ann,10.50\n2,bob,20.00\n3,ann,5.25\n",
                "models/totals.sql", "/*---\nmaterialized: table\n---*/\n"
                        + "SELECT customer, sum(amount) AS total FROM raw.orders GROUP BY customer",
                "models/customers.sql", "/*---\nmaterialized: table\n---*/\nSELECT count(*) AS customers FROM totals");
        String root = shop.root().toString();
        // a run in another process, stopped after its first model committed: it holds the catalog's DuckDB file
        // the child is a Spark JVM on Java 17: spark/pom.xml's argLine opens, through the java launcher's variable
        String opens = String.join(" ", java.util.stream.Stream.of("java.lang", "java.lang.invoke",
                "java.lang.reflect", "java.io", "java.net", "java.nio", "java.util", "java.util.concurrent",
                "java.util.concurrent.atomic", "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar")
                .map(open -> "--add-opens=java.base/" + open + "=ALL-UNNAMED").toList());
        Process run = dev.sluice.ForkedLauncher.in(dir.resolve("reading-fork"))
                .environment("JDK_JAVA_OPTIONS", opens).startPaused(
                dev.sluice.exec.FaultPoints.AFTER_COMMIT + ":totals", "run", root, "--engine", "spark", "--master",
                "local[2]", "--threads", "1");
        try {
            assertThat(ProjectFixture.sluice(0, "runs", root)).contains("running");
            assertThat(ProjectFixture.sluice(0, "state", root)).doesNotContain("Cannot");
            assertThat(ProjectFixture.sluice(0, "query", root, "SELECT customer, total FROM main.totals ORDER BY "
                    + "customer")).contains("ann").contains("bob");
        } finally {
            run.destroyForcibly();
            assertThat(run.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
    }

    /** {@link #assertSameTables} of the project at {@code root} read with engine spark chosen on the command line. */
    private static void assertSameTablesOn(Path root) {
        dev.sluice.Sluice sluice = dev.sluice.Sluice.open(root, java.util.Map.of(), "spark",
                java.util.Map.of("master", "local[2]"));
        {
            for (String relation : relations(onDuckDb)) {
                List<String> columns = onDuckDb.query("SELECT * FROM " + relation + " LIMIT 0").columns();
                String select = "SELECT " + String.join(", ", columns.stream().map(Sql::identifier).toList())
                        + " FROM " + relation;
                assertThat(SameRows.normal(sluice.query(select).rows())).as("rows of %s", relation)
                        .isEqualTo(SameRows.normal(onDuckDb.query(select).rows()));
            }
        }
    }

    /** Every published relation of the Spark run holds the DuckDB run's rows, compared row by row. */
    static void assertSameTables(ProjectFixture onSpark) {
        List<String> compared = new ArrayList<>();
        for (String relation : relations(onDuckDb)) {
            List<String> columns = onDuckDb.query("SELECT * FROM " + relation + " LIMIT 0").columns();
            String select = "SELECT " + String.join(", ", columns.stream().map(Sql::identifier).toList()) + " FROM "
                    + relation;
            List<List<Object>> expected = SameRows.normal(onDuckDb.query(select).rows());
            List<List<Object>> actual = SameRows.normal(onSpark.query(select).rows());
            assertThat(expected).as("rows of %s", relation).isNotEmpty();
            assertThat(actual).as("rows of %s", relation).hasSize(expected.size()).isEqualTo(expected);
            compared.add(relation);
        }
        assertThat(compared).containsAll(PUBLISHED);
    }

    /** The relations the DuckDB run published in the project's schemas (not Sluice's own). */
    static List<String> relations(ProjectFixture project) {
        List<String> relations = new ArrayList<>();
        project.query("SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN "
                + "('raw', 'staging', 'marts') AND table_name NOT LIKE '%\\_\\_sluice%' ESCAPE '\\' ORDER BY ALL").rows()
                .forEach(row -> relations.add(row.get(0) + "." + row.get(1)));
        return relations;
    }
}
