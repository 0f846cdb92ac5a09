package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manifest-tracked Parquet source reads exactly its new files (it read none, and failed, when only CSV did). */
class TrackedParquetIT {
    @TempDir
    Path dir;

    @Test
    void aTrackedParquetSourceLoadsItsNewFiles() {
        Path project = ProjectFixture.at(dir.resolve("p")).write("sluice.yml", """
                name: p
                sources:
                  raw.events:
                    type: files
                    path: data/*.parquet
                    format: parquet
                    change_detection: manifest
                """).getParent();
        ProjectFixture.at(project).write("models/events.sql", "/*---\nmaterialized: table\n---*/\nSELECT id FROM raw.events");
        ProjectFixture.at(project).write("data/.keep", "");
        parquet(project.resolve("data/a.parquet"), 0, 3);
        Sluice sluice = Sluice.open(project);
        RunResult first = sluice.run(RunOptions.defaults());
        assertThat(first.succeeded()).as(first.toString()).isTrue();
        assertThat(first.sources().get(0).rows()).isEqualTo(3);

        parquet(project.resolve("data/b.parquet"), 3, 2);
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.succeeded()).as(second.toString()).isTrue();
        assertThat(second.sources().get(0).rows()).isEqualTo(2);
        assertThat(sluice.query("SELECT count(*), sum(id) FROM main.events").rows()).containsExactly(List.of(5L,
                java.math.BigInteger.valueOf(10)));
    }

    /** Writes {@code count} ids from {@code first} as a Parquet file, with DuckDB outside Sluice. */
    private static void parquet(Path file, int first, int count) {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("COPY (SELECT CAST(" + first + " + i AS BIGINT) AS id FROM range(" + count + ") t(i)) TO '"
                    + file.toString().replace("'", "''") + "' (FORMAT parquet)");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
