package dev.sluice.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental models (merge, delete_insert, append) over files, run whole on DuckDB and on Spark local[2]: a first
 * run, then a new file whose rows repeat keys: the tables are the same row by row after each run.
 */
class SparkIncrementalRunIT {
    private static final String PROJECT = """
            name: inc
            warehouse: target/inc.duckdb
            sources:
              raw.events:
                type: files
                path: data/*.csv
                header: true
                columns: { id: BIGINT, user_id: BIGINT, amount: DOUBLE }
                change_detection: manifest
            """;
    private static final List<String> TABLES = List.of("merged", "replaced", "appended", "raw.events");

    @TempDir
    static Path dir;

    @BeforeAll
    static void localTwoCores() {
        System.setProperty(SparkSettings.MASTER_PROPERTY, "local[2]");
    }

    private static ProjectFixture project(String name, String engine) throws IOException {
        Path root = dir.resolve(name);
        Files.createDirectories(root.resolve("models"));
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("sluice.yml"), PROJECT.replace("name: inc\n", "name: inc\n" + engine));
        Files.writeString(root.resolve("models/merged.sql"), "/*---\nmaterialized: incremental\nincremental: "
                + "{ strategy: merge, unique_key: id }\n---*/\nSELECT id, user_id, amount * 2 AS doubled FROM raw.events\n");
        Files.writeString(root.resolve("models/replaced.sql"), "/*---\nmaterialized: incremental\nincremental: "
                + "{ strategy: delete_insert, unique_key: user_id }\n---*/\nSELECT id, user_id, amount FROM raw.events\n");
        Files.writeString(root.resolve("models/appended.sql"), "/*---\nmaterialized: incremental\nincremental: "
                + "{ strategy: append }\n---*/\nSELECT id, user_id, amount FROM raw.events\n");
        Files.writeString(root.resolve("data/a.csv"), "id,user_id,amount\n1,10,1.5\n2,10,2.5\n3,20,3.5\n");
        return ProjectFixture.at(root);
    }

    private static void assertSame(ProjectFixture onDuckDb, ProjectFixture onSpark) {
        for (String table : TABLES) {
            String select = "SELECT * FROM " + (table.contains(".") ? table : "main." + table);
            assertThat(SameRows.normal(onSpark.query(select).rows())).as(select)
                    .isEqualTo(SameRows.normal(onDuckDb.query(select).rows()));
        }
    }

    @Test
    void newFilesFoldIntoDuckDbsTables() throws IOException {
        ProjectFixture onDuckDb = project("duckdb", "");
        ProjectFixture onSpark = project("spark", "engine: spark\n");
        for (ProjectFixture project : List.of(onDuckDb, onSpark)) {
            RunResult run = project.run();
            assertThat(run.succeeded()).as(run.toString()).isTrue();
        }
        assertSame(onDuckDb, onSpark);

        for (ProjectFixture project : List.of(onDuckDb, onSpark)) {
            Files.writeString(project.root().resolve("data/b.csv"), "id,user_id,amount\n2,30,9.5\n4,10,4.5\n");
            RunResult run = project.run();
            assertThat(run.succeeded()).as(run.toString()).isTrue();
        }
        assertSame(onDuckDb, onSpark);
        assertThat(onSpark.query("SELECT count(*) FROM main.merged").rows()).containsExactly(List.of(4L));
        assertThat(onSpark.query("SELECT count(*) FROM main.appended").rows()).containsExactly(List.of(5L));
    }

    @Test
    void aModifiedFileReplacesItsRowsAsOnDuckDb() throws IOException {
        ProjectFixture onDuckDb = project("duckdb-modified", "");
        ProjectFixture onSpark = project("spark-modified", "engine: spark\n");
        for (ProjectFixture project : List.of(onDuckDb, onSpark)) {
            RunResult run = project.run();
            assertThat(run.succeeded()).as(run.toString()).isTrue();
        }

        for (ProjectFixture project : List.of(onDuckDb, onSpark)) {
            // id 1 changes, id 3 is gone from the file, id 5 is new
            Files.writeString(project.root().resolve("data/a.csv"), "id,user_id,amount\n1,10,100.5\n2,10,2.5\n"
                    + "5,40,5.5\n");
            RunResult run = project.run();
            assertThat(run.succeeded()).as(run.toString()).isTrue();
        }
        assertSame(onDuckDb, onSpark);
        assertThat(onSpark.query("SELECT id, amount FROM raw.events ORDER BY id").rows())
                .containsExactly(List.of(1L, 100.5), List.of(2L, 2.5), List.of(5L, 5.5));
        assertThat(onSpark.query("SELECT doubled FROM main.merged WHERE id = 1").rows()).containsExactly(List.of(201.0));
    }
}
