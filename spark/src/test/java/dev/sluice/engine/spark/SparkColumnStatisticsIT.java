package dev.sluice.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.RunResult;
import dev.sluice.StorageDecision;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.storage.ColumnStats;
import dev.sluice.storage.StatisticsCollector;
import dev.sluice.storage.TableStats;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statistics Spark keeps with a table (Iceberg's per-file metrics), as the storage optimiser reads them through
 * {@link dev.sluice.engine.Dialect#storedStatisticsQuery}: the same bounds and null flags a scan of every row gives,
 * over a table written in several commits, with no row read. And the optimiser's sample on Spark ({@link
 * dev.sluice.engine.Dialect#sampleFrom}): a table above the sampling threshold measured from a sample, and a whole run
 * on Spark whose table above it is optimised as a DuckDB run optimises it.
 */
class SparkColumnStatisticsIT {
    @TempDir
    static Path dir;
    static final long BIG_ROWS = 400_000;
    private static Engine spark;
    private static Session session;

    @BeforeAll
    static void open() {
        System.setProperty(SparkSettings.MASTER_PROPERTY, "local[2]");
        spark = new SparkEngineFactory().open(EngineOptions.inMemory(List.of(dir)));
        session = spark.session();
        session.execute("CREATE NAMESPACE IF NOT EXISTS stats");
        session.execute("CREATE TABLE stats.orders (id BIGINT, amount DECIMAL(10,2), placed TIMESTAMP, "
                + "status VARCHAR, note VARCHAR, gone VARCHAR)");
        // three commits, three data files: the bounds of the table are those of all files together
        session.execute("INSERT INTO stats.orders SELECT id, CAST(id AS DECIMAL(10,2)) / 4, "
                + "TIMESTAMP '2026-01-01 00:00:00' + make_interval(0, 0, 0, 0, CAST(id AS INT), 0, 0), "
                + "'placed', CASE WHEN id % 10 = 0 THEN NULL ELSE 'n' END, CAST(NULL AS STRING) "
                + "FROM (SELECT range AS id FROM range(1, 1001))");
        // above the optimiser's sampling threshold (262,144 rows): measured from a sample
        session.execute("CREATE TABLE stats.big (id BIGINT, status VARCHAR, amount DOUBLE, note VARCHAR)");
        session.execute("INSERT INTO stats.big SELECT id, CASE WHEN id % 3 = 0 THEN 'placed' WHEN id % 3 = 1 THEN "
                + "'shipped' ELSE 'cancelled' END, CAST(id % 1000 AS DOUBLE), CASE WHEN id % 4 = 0 THEN NULL ELSE "
                + "'n' END FROM (SELECT range AS id FROM range(1, " + (BIG_ROWS + 1) + "))");
        session.execute("INSERT INTO stats.orders VALUES (-5, -1.25, TIMESTAMP '2025-12-31 23:00:00', 'cancelled', "
                + "'late', NULL)");
        session.execute("INSERT INTO stats.orders VALUES (5000, 99999.99, TIMESTAMP '2026-06-01 12:00:00', 'shipped', "
                + "NULL, NULL)");
    }

    @AfterAll
    static void close() {
        session.close();
        spark.close();
    }

    @Test
    void theTablesStoredStatisticsGiveTheBoundsAndNullsOfEveryRow() {
        List<String> columns = List.of("id", "amount", "placed", "status", "note", "gone");
        String stored = spark.dialect().storedStatisticsQuery(Sql.qualified("stats", "orders"),
                columns.stream().map(Sql::identifier).toList());
        List<Object> statistics = session.query(stored).values().get(0);

        assertThat(statistics.subList(0, 4)).containsExactly("-5", "5000", "false", "true");
        assertThat(statistics.subList(4, 8)).containsExactly("-1.25", "99999.99", "false", "true");
        assertThat(statistics.subList(8, 12)).containsExactly("2025-12-31 23:00:00", "2026-06-01 12:00:00", "false",
                "true");
        assertThat(statistics.subList(12, 16)).containsExactly("cancelled", "shipped", "false", "true");
        assertThat(statistics.subList(16, 20)).containsExactly("late", "n", "true", "true");
        // a column of nulls only: no bounds, a null and no value
        assertThat(statistics.subList(20, 24)).isEqualTo(Arrays.asList(null, null, "true", "false"));

        // what a scan of every row gives, column by column
        for (int i = 0; i < columns.size(); i++) {
            String column = Sql.identifier(columns.get(i));
            List<Object> scanned = session.query("SELECT CAST(min(" + column + ") AS STRING), CAST(max(" + column
                    + ") AS STRING), CAST(count(*) > count(" + column + ") AS STRING), CAST(count(" + column
                    + ") > 0 AS STRING) FROM stats.orders").values().get(0);
            assertThat(statistics.subList(i * 4, i * 4 + 4)).as(columns.get(i)).isEqualTo(scanned);
        }
    }

    @Test
    void aTableAboveTheSamplingThresholdIsMeasuredFromSparksSample() {
        for (StatisticsCollector.Reading reading : StatisticsCollector.Reading.values()) {
            TableStats stats = StatisticsCollector.collect(session, "stats", "big", reading);

            assertThat(stats.rows()).as(reading.name()).isEqualTo(BIG_ROWS);
            ColumnStats id = stats.column("id").orElseThrow();
            // exact bounds: from every row or from Iceberg's metrics, never from the sample
            assertThat(List.of(id.min(), id.max())).as(reading.name()).containsExactly("1", "400000");
            // a key: its distinct values scaled from the sample to the table
            assertThat(id.distinct()).as(reading.name()).isBetween(BIG_ROWS * 9 / 10, BIG_ROWS);
            assertThat(id.nullFraction()).as(reading.name()).isZero();
            assertThat(stats.column("status").orElseThrow().distinct()).as(reading.name()).isEqualTo(3);
            assertThat(stats.column("amount").orElseThrow().distinct()).as(reading.name()).isBetween(900L, 1000L);
            // a quarter of nulls: exact over every row, the sample's share of them from the stored statistics
            assertThat(stats.column("note").orElseThrow().nullFraction()).as(reading.name()).isCloseTo(0.25,
                    org.assertj.core.data.Offset.offset(0.02));
        }
        // the sample is a share of the rows, not the whole table: its size in the statement Spark ran
        String sample = spark.dialect().sampleFrom(Sql.qualified("stats", "big"), 50.0, 16);
        long sampled = session.query("SELECT count(*) " + sample).singleLong();
        assertThat(sampled).isBetween(BIG_ROWS * 45 / 100, BIG_ROWS * 55 / 100);
        assertThat(session.query("SELECT count(*) " + sample).singleLong()).as("the same seed, the same rows")
                .isEqualTo(sampled);
    }

    @Test
    void aSparkBuildAboveTheSamplingThresholdDecidesItsLayoutAsADuckDbBuildDoes() {
        String project = "name: shop\nsources:\n  raw.orders:\n    type: synthetic\n    rows: 300000\n"
                + "    seed: 7\n    columns:\n      order_id: { type: BIGINT, generator: sequence }\n"
                + "      customer_id: { type: BIGINT, generator: reference, max: 5000 }\n"
                + "      status: { type: VARCHAR, generator: choice, values: [placed, shipped, cancelled] }\n"
                + "      amount: { type: DOUBLE, generator: uniform, min: 0, max: 100 }\n";
        String model = "/*---\nmaterialized: table\nschema: marts\n---*/\n"
                + "SELECT order_id, customer_id, status, amount FROM raw.orders WHERE amount >= 1";
        ProjectFixture onDuckDb = ProjectFixture.at(dir.resolve("duckdb"));
        onDuckDb.files("sluice.yml", project, "models/orders.sql", model);
        ProjectFixture onSpark = ProjectFixture.at(dir.resolve("spark"));
        onSpark.files("sluice.yml", project.replace("name: shop\n", "name: shop\nengine: spark\n"),
                "models/orders.sql", model);

        RunResult duckdbRun = onDuckDb.run();
        RunResult sparkRun = onSpark.run();

        assertThat(duckdbRun.succeeded()).as(duckdbRun.toString()).isTrue();
        assertThat(sparkRun.succeeded()).as(sparkRun.toString()).isTrue();
        List<StorageDecision> onSparkDecisions = onSpark.open().storageDecisions("orders");
        assertThat(onSparkDecisions).isNotEmpty();
        assertThat(onSparkDecisions).allSatisfy(decision -> assertThat(decision.reason()).isNotBlank());
        assertThat(onSparkDecisions.stream().map(d -> d.aspect() + ": " + d.choice()).toList())
                .isEqualTo(onDuckDb.open().storageDecisions("orders").stream().map(d -> d.aspect() + ": "
                        + d.choice()).toList());
    }
}
