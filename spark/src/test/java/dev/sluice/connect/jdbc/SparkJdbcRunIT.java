package dev.sluice.connect.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.RunResult;
import dev.sluice.engine.spark.SameRows;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole {@code sluice run}s on Spark local[2] of a project whose {@code type: jdbc} source is read by Spark's JDBC
 * reader in two ranges: each run loads the source as it is then, and the warehouse holds the source's rows (EXCEPT
 * ALL both ways), the model built over them. A watermark source with an overlap and a key, run twice with new, late
 * and changed rows between, gives the rows a DuckDB run loads and merges, row by row.
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

    @Test
    void aWatermarkSourceGivesDuckDbsRowsOverTwoRuns() {
        postgres.execute("CREATE TABLE marks (id bigint, amount numeric(10,2), updated_at timestamp)",
                "INSERT INTO marks VALUES (1, 1.50, '2026-01-01 10:00'), (2, 2.50, '2026-01-01 11:00'), "
                        + "(3, 3.50, '2026-01-01 12:00')");
        String settings = "table: marks\nwatermark: updated_at\noverlap: 1 hour\nkey: id\n";
        ProjectFixture onDuckDb = postgres.project(dir.resolve("duckdb"), "marks", settings);
        ProjectFixture onSpark = postgres.project(dir.resolve("spark"), "marks", settings);
        onSpark.replace("sluice.yml", "name: marks\n", "name: marks\nengine: spark\n");
        List<ProjectFixture> projects = List.of(onDuckDb, onSpark);
        for (ProjectFixture project : projects) {
            project.write("models/marks_merged.sql", "/*---\nmaterialized: incremental\nincremental: { strategy: "
                    + "merge, unique_key: id }\n---*/\nSELECT id, amount, updated_at FROM raw.marks\n");
            RunResult first = project.run();
            assertThat(first.succeeded()).as(first.toString()).isTrue();
        }
        assertSame(onDuckDb, onSpark);

        // a new row, a late row inside the overlap, a row changed (its watermark moved), a late row below the overlap
        postgres.execute("INSERT INTO marks VALUES (4, 4.50, '2026-01-01 13:00'), (5, 5.50, '2026-01-01 11:30'), "
                + "(6, 6.50, '2026-01-01 09:00')", "UPDATE marks SET amount = 30.00, updated_at = "
                + "'2026-01-01 12:30' WHERE id = 3");
        for (ProjectFixture project : projects) {
            RunResult next = project.run();
            assertThat(next.succeeded()).as(next.toString()).isTrue();
            assertThat(next.sources()).singleElement().satisfies(source -> assertThat(source.rows()).isEqualTo(3));
        }
        assertSame(onDuckDb, onSpark);
        assertThat(onSpark.query("SELECT id, amount FROM main.marks_merged WHERE id IN (3, 6)").rows())
                .singleElement().satisfies(row -> assertThat(SameRows.normal(List.of(row)))
                        .containsExactly(List.of("3", "30")));

        // nothing new: the overlap's rows are read again and recognised on both engines
        for (ProjectFixture project : projects) {
            RunResult again = project.run();
            assertThat(again.sources()).singleElement().satisfies(source -> assertThat(source.rows()).isZero());
        }
        assertSame(onDuckDb, onSpark);
    }

    private static void assertSame(ProjectFixture onDuckDb, ProjectFixture onSpark) {
        for (String select : List.of("SELECT id, amount, updated_at FROM raw.marks",
                "SELECT * FROM main.marks_merged", "SELECT * FROM main.marks_count")) {
            assertThat(SameRows.normal(onSpark.query(select).rows())).as(select)
                    .isEqualTo(SameRows.normal(onDuckDb.query(select).rows()));
        }
    }
}
