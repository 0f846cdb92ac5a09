package dev.sluice.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectPathsTest {
    @TempDir
    Path dir;

    @Test
    void pathsInsideARootAreInsideAndEscapesAreNot() throws IOException {
        Path project = Files.createDirectories(dir.resolve("p"));
        Path shared = Files.createDirectories(dir.resolve("shared"));
        List<Path> roots = List.of(project);

        assertThat(ProjectPaths.isInside(project, roots)).isTrue();
        assertThat(ProjectPaths.isInside(project.resolve("data/not/yet/there.csv"), roots)).isTrue();
        assertThat(ProjectPaths.isInside(project.resolve("data/*/*.csv"), roots)).isTrue();
        assertThat(ProjectPaths.isInside(project.resolve("../shared/x.csv"), roots)).isFalse();
        assertThat(ProjectPaths.isInside(project.resolve("data/../../shared/x.csv"), roots)).isFalse();
        assertThat(ProjectPaths.isInside(project.resolve("*/../../shared/x.csv"), roots)).isFalse();
        assertThat(ProjectPaths.isInside(Path.of("/etc/passwd"), roots)).isFalse();
        // a sibling whose name starts like the project is not inside it
        assertThat(ProjectPaths.isInside(dir.resolve("p2/x.csv"), roots)).isFalse();
        assertThat(ProjectPaths.isInside(shared.resolve("x.csv"), List.of(project, shared))).isTrue();
    }

    @Test
    void symbolicLinksAreJudgedByWhereTheyPoint() throws IOException {
        Path project = Files.createDirectories(dir.resolve("p"));
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.writeString(shared.resolve("x.csv"), "a\n1\n");
        Files.createSymbolicLink(project.resolve("out"), shared);
        Files.createSymbolicLink(project.resolve("in"), project);

        assertThat(ProjectPaths.isInside(project.resolve("out/x.csv"), List.of(project))).isFalse();
        assertThat(ProjectPaths.isInside(project.resolve("out/*.csv"), List.of(project))).isFalse();
        assertThat(ProjectPaths.isInside(project.resolve("in/x.csv"), List.of(project))).isTrue();
        // a root reached through a link is the folder it points to
        assertThat(ProjectPaths.isInside(shared.resolve("x.csv"), List.of(project.resolve("out")))).isTrue();
    }
}
