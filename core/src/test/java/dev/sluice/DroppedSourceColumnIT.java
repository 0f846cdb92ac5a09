package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After the files of a tracked source drop a column, the loaded table still has it (NULL for new rows): a model
 * still selecting it plans against the loaded columns and runs, the new rows holding NULL.
 */
class DroppedSourceColumnIT {
    @TempDir
    Path dir;

    @Test
    void aModelSelectingADroppedColumnOfATrackedSource() throws Exception {
        Path project = ProjectFixture.copyTo("dropped_source_column", dir.resolve("p")).root();
        ProjectFixture.sluice(0, "run", project.toString());

        Files.delete(project.resolve("data/a.csv"));
        ProjectFixture.at(project).write("data/b.csv", "id\n3\n");
        assertThat(ProjectFixture.sluice(0, "plan", project.toString())).contains("main.notes");
        assertThat(ProjectFixture.sluice(0, "run", project.toString())).contains("1 succeeded, 0 failed");
        assertThat(Sluice.open(project).query("SELECT id, note FROM main.notes ORDER BY id").rows().toString())
                .isEqualTo("[[1, x], [2, y], [3, null]]");
    }
}
