package dev.sluice.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ErrorCode;
import dev.sluice.ForkedLauncher;
import dev.sluice.ProjectFixture;
import dev.sluice.SluiceException;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Engines;
import dev.sluice.exec.FaultPoints;
import dev.sluice.project.EngineTraits;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalog in a DuckDB file of its own (engine spark's default) read while a run in another process holds it for
 * writing: DuckDB lets no second process open that file, so readers read a copy taken at one instant, with every
 * record the run committed by then.
 */
class CatalogCopyIT {
    @TempDir
    Path dir;

    @Test
    void aReaderReadsTheCatalogThatARunInAnotherProcessHoldsForWriting() throws Exception {
        Path root = dir.resolve("p");
        ProjectFixture.copyTo("killed_incremental", root);
        Files.writeString(root.resolve("sluice.yml"), "catalog: { type: duckdb, path: target/catalog.duckdb }\n",
                StandardOpenOption.APPEND);
        writeCsv(root.resolve("data/a.csv"), 0, 1000);
        ForkedLauncher launcher = ForkedLauncher.in(dir);
        assertThat(launcher.run("run", root.toString())).as(launcher.output()).isZero();
        writeCsv(root.resolve("data/b.csv"), 1000, 500);
        Process run = launcher.startPaused(FaultPoints.AFTER_COMMIT + ":events_inc", "run", root.toString());
        Project project = ProjectReader.read(root, Map.of());
        try (Engine warehouse = Engines.factory(EngineTraits.DEFAULT).open(EngineOptions.inMemory(List.of()))) {
            // what a reader did before: open the file itself, which the paused run holds
            SluiceException held = ProjectFixture.failure(() -> Catalogs.duckdb(project.catalog()));
            assertThat(held.code()).isEqualTo(ErrorCode.WAREHOUSE_LOCKED);
            assertThat(held.getMessage()).contains("catalog.duckdb").contains("in use by process");

            Catalog catalog = Catalogs.openExisting(project, warehouse);

            // the first run, and the second one the paused process is in
            assertThat(catalog.runs().recentRuns(5)).extracting(RunRecord::status)
                    .containsExactly("running", "success");
            assertThat(catalog.state().manifestSummary().values()).isNotEmpty();
        } finally {
            run.destroyForcibly();
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aCatalogWrittenWithoutPauseIsRefusedSayingSo() throws Exception {
        Path file = Files.writeString(dir.resolve("catalog.duckdb"), "x");
        // a writer that writes during every copy
        Runnable writer = () -> {
            try {
                Files.writeString(file, "x", StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };

        SluiceException refused = ProjectFixture.failure(() -> CatalogCopy.copy(file, writer));

        assertThat(refused.code()).isEqualTo(ErrorCode.WAREHOUSE_LOCKED);
        assertThat(refused.getMessage()).isEqualTo("Cannot read the catalog " + file + ": a run in another "
                + "process holds it and wrote it each time it was copied (" + CatalogCopy.ATTEMPTS + " tries); "
                + "retry, or read when the run has finished");
        assertThat(Files.size(file)).isEqualTo(1 + CatalogCopy.ATTEMPTS);
    }

    @Test
    void aCopyIsTheFileAndItsWriteAheadLogAsTheyStood() throws Exception {
        Path file = Files.writeString(dir.resolve("c.duckdb"), "main");
        Files.writeString(dir.resolve("c.duckdb.wal"), "log");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 1000));

        Path copy = CatalogCopy.copy(file);

        assertThat(copy).isNotEqualTo(file).hasContent("main");
        assertThat(copy.resolveSibling("c.duckdb.wal")).hasContent("log");
        Files.delete(dir.resolve("c.duckdb.wal"));
        assertThat(CatalogCopy.copy(file).resolveSibling("c.duckdb.wal")).doesNotExist();
    }

    private static void writeCsv(Path file, long firstId, long rows) throws Exception {
        Files.createDirectories(file.getParent());
        StringBuilder csv = new StringBuilder("id,user_id,amount\n");
        for (long i = 0; i < rows; i++) {
            csv.append(firstId + i).append(',').append(i % 100).append(',').append(i % 97).append('\n');
        }
        Files.writeString(file, csv);
    }
}
