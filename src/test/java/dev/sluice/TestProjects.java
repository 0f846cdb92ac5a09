package dev.sluice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Copies pipeline folders (test fixtures and the shipped examples) into a test's own folder before running them. */
public final class TestProjects {
    private TestProjects() {
    }

    /** Copies {@code src/test/resources/projects/<name>} into {@code target/<name>} and returns the copy. */
    public static Path fixture(String name, Path target) {
        return copy(Path.of("src/test/resources/projects", name), target.resolve(name));
    }

    /** Copies {@code sql/examples/<name>} into {@code target/<name>} and returns the copy. */
    public static Path example(String name, Path target) {
        return copy(Path.of("sql/examples", name), target.resolve(name));
    }

    public static Path copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(file);
                if (relative.startsWith("target")) {
                    continue;
                }
                Path destination = to.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file under the project folder, creating its folders. */
    public static Path write(Path project, String relative, String text) {
        try {
            Path file = project.resolve(relative);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
