package dev.sluice.connect.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.RunResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole {@code sluice run}s on Spark local[2] of a project whose {@code type: jdbc} source is read by Spark's JDBC
 * reader in two ranges: each run loads the source as it is then, and the warehouse holds the source's rows (EXCEPT
 * ALL both ways), the model built over them. (A watermark source's first run loads on Spark too; its next run stops
 * in the tracked layout's re-read check, {@code DELETE FROM} a temporary view, which Spark cannot run.)
 */
class SparkJdbcRunIT {
    private static JdbcFixture postgres;

    @TempDir
    static Path dir;

    @BeforeAll
    static void sourceTable() {
        System.setProperty("sluice.spark.master", "local[2]");
        postgres = new JdbcFixture("spark_jdbc_run");
        postgres.execute("CREATE TABLE events AS SELECT i AS id, 'kind ' || (i % 3) AS kind, "
                + "TIMESTAMP '2026-01-01' + i * INTERVAL '1 hour' AS at FROM generate_series(1, 500) AS i");
    }

    @Test
    void runsOnSparkLoadTheSourceAsItIsAtEachRun() {
        ProjectFixture project = postgres.project(dir, "events", "table: events\npartitions: 2\n"
                + "partition_column: id\n");
        project.replace("sluice.yml", "name: events\n", "name: events\nengine: spark\n");

        RunResult first = project.run();
        assertThat(first.succeeded()).as(first.toString()).isTrue();
        assertThat(first.sources()).singleElement().satisfies(source -> assertThat(source.rows()).isEqualTo(500));

        postgres.execute("INSERT INTO events SELECT i, 'kind ' || (i % 3), TIMESTAMP '2026-01-01' + i * INTERVAL "
                + "'1 hour' FROM generate_series(501, 600) AS i");
        RunResult next = project.run();
        assertThat(next.succeeded()).as(next.toString()).isTrue();
        assertThat(next.sources()).singleElement().satisfies(source -> assertThat(source.rows()).isEqualTo(600));

        var sluice = project.open();
        postgres.assertSameRows(sluice, "SELECT CAST(id AS STRING), kind, date_format(at, 'yyyy-MM-dd HH:mm:ss') "
                + "FROM raw.events", "SELECT id::text, kind, to_char(at, 'YYYY-MM-DD HH24:MI:SS') FROM events");
        assertThat(JdbcFixture.warehouseRows(sluice, "SELECT CAST(n AS STRING) FROM main.events_count"))
                .containsExactly(List.of("600"));
    }
}
