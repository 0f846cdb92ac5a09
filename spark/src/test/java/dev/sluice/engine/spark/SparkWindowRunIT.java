package dev.sluice.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.LateDataScenario;
import dev.sluice.ModelResult;
import dev.sluice.ProjectFixture;
import dev.sluice.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Windowed models run whole on DuckDB and on Spark local[2] (whose catalog is a DuckDB file outside the warehouse):
 * late data within and beyond lateness under three late policies, restatements, a TIMESTAMPTZ time column and a merge
 * by {@code order_by} across runs give the same tables and interval states, row by row, after every run.
 */
class SparkWindowRunIT {
    @TempDir
    static Path dir;

    @BeforeAll
    static void localTwoCores() {
        System.setProperty(SparkSettings.MASTER_PROPERTY, "local[2]");
    }

    private static void assertSameOutcome(String step, Map<String, List<List<Object>>> onDuckDb,
            Map<String, List<List<Object>>> onSpark) {
        for (String what : onDuckDb.keySet()) {
            assertThat(SameRows.normal(onSpark.get(what))).as("%s: %s", step, what)
                    .isEqualTo(SameRows.normal(onDuckDb.get(what)));
        }
    }

    private static void assertSameModels(String step, RunResult onDuckDb, RunResult onSpark) {
        assertThat(onSpark.models()).extracting(ModelResult::model, ModelResult::status, ModelResult::rows,
                ModelResult::lateRows).as(step).containsExactlyInAnyOrderElementsOf(onDuckDb.models().stream()
                        .map(m -> Tuple.tuple(m.model(), m.status(), m.rows(), m.lateRows())).toList());
    }

    @Test
    void lateDataGivesDuckDbsTablesAndIntervalStates() {
        ProjectFixture onDuckDb = LateDataScenario.project(dir.resolve("late-duckdb"), "");
        // the default threads: windowed models build at once, reading the catalog while others publish
        ProjectFixture onSpark = LateDataScenario.project(dir.resolve("late-spark"), "engine: spark\n");
        for (int step = 0; step < LateDataScenario.STEPS; step++) {
            RunResult expected = LateDataScenario.step(onDuckDb, step);
            RunResult actual = LateDataScenario.step(onSpark, step);
            assertSameModels("step " + step, expected, actual);
            assertSameOutcome("step " + step, LateDataScenario.outcome(onDuckDb), LateDataScenario.outcome(onSpark));
        }
        assertThat(onSpark.query("SELECT events, amount FROM main.hourly_current WHERE hour = "
                + "TIMESTAMP '2024-01-03 02:00'").rows()).containsExactly(List.of(2L, 80L));
    }

    private static final String ZONED = """
            name: zoned
            warehouse: target/zoned.duckdb
            sources:
              raw.readings:
                type: files
                path: data/*.csv
                header: true
                columns: { id: BIGINT, ts: TIMESTAMPTZ, v: BIGINT }
                change_detection: manifest
            """;

    private static ProjectFixture zoned(String name, String engine) throws IOException {
        Path root = dir.resolve(name);
        Files.createDirectories(root.resolve("models"));
        Files.writeString(root.resolve("sluice.yml"), ZONED + engine);
        Files.writeString(root.resolve("models/per_hour.sql"), """
                /*---
                materialized: incremental
                time: { column: hour, input_column: ts, grain: 1 hour, start: 2024-01-01, lateness: 2 hours }
                ---*/
                SELECT date_trunc('hour', ts) AS hour, count(*) AS n, sum(v) AS v FROM raw.readings GROUP BY 1
                """);
        Files.writeString(root.resolve("models/latest.sql"), """
                /*---
                materialized: incremental
                incremental: { strategy: merge, unique_key: id, order_by: v }
                ---*/
                SELECT id, v FROM raw.readings
                """);
        return ProjectFixture.at(root);
    }

    /**
     * Times with offsets in a TIMESTAMPTZ column fall in their UTC hour on both engines; a merge by order_by keeps,
     * across runs, the row with the greatest value of each key (a later file's smaller value loses).
     */
    @Test
    void aTimestampWithTimeZoneWindowAndAMergeByOrderGiveDuckDbsTables() throws IOException {
        ProjectFixture onDuckDb = zoned("zoned-duckdb", "");
        ProjectFixture onSpark = zoned("zoned-spark", "engine: spark\n");
        List<String> files = List.of("id,ts,v\n1,2024-01-01 02:10:00+02:00,5\n2,2024-01-01 01:20:00+00:00,7\n"
                + "3,2024-01-01 03:40:00+01:00,1\n", "id,ts,v\n1,2024-01-01 00:30:00+00:00,3\n"
                + "2,2024-01-01 06:00:00+03:00,9\n4,2024-01-01 05:00:00+00:00,2\n");
        for (int run = 0; run < files.size(); run++) {
            RunResult expected = null;
            for (ProjectFixture project : List.of(onDuckDb, onSpark)) {
                Path file = project.write("data/" + run + ".csv", files.get(run));
                Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(java.time.Instant.now()
                        .plusSeconds(10L * (run + 1))));
                RunResult result = project.run();
                assertThat(result.succeeded()).as(result.toString()).isTrue();
                if (expected == null) {
                    expected = result;
                } else {
                    assertSameModels("run " + run, expected, result);
                }
            }
            for (String select : List.of("SELECT n, v FROM main.per_hour", "SELECT id, v FROM main.latest")) {
                assertThat(SameRows.normal(onSpark.query(select).rows())).as("run %d: %s", run, select)
                        .isEqualTo(SameRows.normal(onDuckDb.query(select).rows()));
            }
            assertThat(SameRows.normal(onSpark.open().windows().intervals().rows())).as("run %d: intervals", run)
                    .isEqualTo(SameRows.normal(onDuckDb.open().windows().intervals().rows()));
        }
        assertThat(SameRows.normal(onSpark.query("SELECT id, v FROM main.latest").rows())).isEqualTo(SameRows.normal(
                List.of(List.of(1L, 5L), List.of(2L, 9L), List.of(3L, 1L), List.of(4L, 2L))));
    }
}
