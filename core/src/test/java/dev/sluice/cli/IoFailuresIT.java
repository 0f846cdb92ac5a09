package dev.sluice.cli;

import static dev.sluice.cli.Launcher.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.cli.Launcher.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad paths and files changed by hand are the user's to fix: each is an error with a code and a message that names
 * the path and the fix, never an "internal error" with a stack trace.
 */
class IoFailuresIT {
    @TempDir
    Path dir;

    @Test
    void initUnderAFileIsAUsageError() throws Exception {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        Outcome init = sluice("init", file.resolve("sub").toString());
        assertThat(init.code()).as(init.err()).isEqualTo(2);
        assertThat(init.err()).startsWith("error: Cannot create a pipeline in " + file.resolve("sub") + ": "
                + file.resolve("sub/models") + ": Not a directory; check the folder's permissions").doesNotContain("internal");
    }

    @Test
    void aWarehouseBelowAFileNamesThePathAndTheSetting() throws Exception {
        Path project = ProjectFixture.at(dir.resolve("p")).write("sluice.yml", "name: p\nwarehouse: afile/w.duckdb\n")
                .getParent();
        ProjectFixture.at(project).write("models/a.sql", "SELECT 1 AS x");
        Files.writeString(project.resolve("afile"), "x");
        Outcome run = sluice("run", project.toString());
        assertThat(run.code()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: Cannot lock warehouse " + project.resolve("afile/w.duckdb") + ": "
                + project.resolve("afile") + ": a file is in the way (a folder is needed, or it exists already); "
                + "check the warehouse: path in sluice.yml and that its folder is writable");
    }

    @Test
    void optimizingALakeFolderRemovedByHandSaysHowToRebuildIt() throws Exception {
        Path project = ProjectFixture.at(dir.resolve("p")).write("sluice.yml", "name: p\n").getParent();
        ProjectFixture.at(project).write("models/events.sql", "/*---\nmaterialized: table\nparser: duckdb\n"
                + "storage: { format: parquet }\n---*/\nSELECT i AS id FROM range(1000) r(i)");
        assertThat(sluice("run", project.toString()).code()).isZero();
        Path version = project.resolve("target/lake/main/events/run-1");
        try (java.util.stream.Stream<Path> files = Files.walk(project.resolve("target/lake"))) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        Outcome optimize = sluice("optimize", project.toString(), "--model", "events");
        assertThat(optimize.code()).as(optimize.err()).isEqualTo(5);
        assertThat(optimize.err()).startsWith("error: Cannot read the lake version of model events (" + version
                + "): " + version + ": no such file or folder; rebuild it with sluice run DIR --select events "
                + "--full-refresh");
    }
}
