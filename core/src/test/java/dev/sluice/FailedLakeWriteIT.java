package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.exec.FaultPoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Parquet build that fails after writing its files (a disk that fills up, a commit that fails) leaves no version
 * folder behind and no claim in sluice.lake_versions: it is given up at once, not at the next run, for table,
 * incremental and windowed lake models alike.
 */
class FailedLakeWriteIT {
    @TempDir
    Path dir;

    @AfterEach
    void disarm() {
        FaultPoints.disarm(FaultPoints.COMMIT);
    }

    @Test
    void aLakeBuildThatFailsAfterWritingItsFilesDeletesItsVersionFolderAtOnce() throws IOException {
        Path project = ProjectFixture.copyTo("failed_lake_write", dir.resolve("lake")).root();
        events(project, "a.csv", "1,2024-01-01T10:00,5\n2,2024-01-02T10:00,7\n", 1);
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        List<String> models = List.of("totals", "appended", "daily");
        List<List<Path>> before = models.stream().map(model -> versions(project, model)).toList();

        // every model's files are written, then its commit fails as on a full disk
        FaultPoints.arm(FaultPoints.COMMIT, (model, session) -> {
            throw new SluiceException(ErrorCode.RUN_FAILED, "IO Error: Could not write all bytes to file "
                    + "\"lake.duckdb.wal\": No space left on device");
        });
        events(project, "b.csv", "3,2024-01-03T10:00,1\n", 2);
        RunResult failed = sluice.run(RunOptions.defaults());
        assertThat(failed.succeeded()).isFalse();
        for (String model : models) {
            assertThat(failed.model(model).get().error()).as(model).contains("No space left on device");
        }
        // nothing of the failed builds is left: the folders and the catalog are as after the first run
        assertThat(models.stream().map(model -> versions(project, model)).toList()).isEqualTo(before);
        assertThat(sluice.query("SELECT model, state FROM sluice.lake_versions ORDER BY model").rows())
                .containsExactly(List.of("main.appended", "current"), List.of("main.daily", "current"),
                        List.of("main.totals", "current"));
        assertThat(sluice.query("SELECT count(*) FROM main.appended").rows()).containsExactly(List.of(2L));

        FaultPoints.disarm(FaultPoints.COMMIT);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        assertThat(sluice.query("SELECT count(*) FROM main.appended").rows()).containsExactly(List.of(3L));
    }

    private static List<Path> versions(Path project, String model) {
        try (Stream<Path> versions = Files.list(project.resolve("target/lake/main/" + model))) {
            return versions.sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void events(Path project, String name, String rows, int order) throws IOException {
        Path file = ProjectFixture.at(project).write("data/" + name, "id,ts,quantity\n" + rows);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(order)));
    }
}
