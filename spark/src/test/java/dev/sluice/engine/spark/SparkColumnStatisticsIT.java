package dev.sluice.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
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
 * over a table written in several commits, with no row read.
 */
class SparkColumnStatisticsIT {
    @TempDir
    static Path dir;
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
}
