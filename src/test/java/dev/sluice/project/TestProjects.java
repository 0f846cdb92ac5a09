package dev.sluice.project;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.SluiceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Builds small pipeline folders for tests. */
final class TestProjects {
    private TestProjects() {
    }

    /** Writes files given as path, content, path, content... into the folder. */
    static Path write(Path dir, String... pathsAndContents) {
        try {
            for (int i = 0; i < pathsAndContents.length; i += 2) {
                Path file = dir.resolve(pathsAndContents[i]);
                Files.createDirectories(file.getParent());
                Files.writeString(file, pathsAndContents[i + 1], StandardCharsets.UTF_8);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Project read(Path dir) {
        return ProjectReader.read(dir, Map.of(), Map.of());
    }

    static SluiceException failure(Path dir) {
        return failure(dir, Map.of(), Map.of());
    }

    static SluiceException failure(Path dir, Map<String, String> overrides, Map<String, String> environment) {
        SluiceException e = catchThrowableOfType(SluiceException.class, () -> ProjectReader.read(dir, overrides, environment));
        if (e == null) {
            throw new AssertionError("expected reading " + dir + " to fail");
        }
        return e;
    }
}
