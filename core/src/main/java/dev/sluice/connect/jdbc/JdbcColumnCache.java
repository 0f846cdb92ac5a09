package dev.sluice.connect.jdbc;

import dev.sluice.project.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The columns of each JDBC source as last described, in {@code target/jdbc/<schema>.<table>.columns} of the project
 * (one {@code "name" TYPE} a line): what plans the models of a source whose database cannot be reached now. Only
 * names and types, never a URL or credentials. Best effort: a cache that cannot be written or read is no cache.
 */
final class JdbcColumnCache {
    private JdbcColumnCache() {
    }

    static Path file(Path root, Source source) {
        return root.resolve("target").resolve("jdbc").resolve(source.qualifiedName() + ".columns");
    }

    static void write(Path root, Source source, List<String> columns) {
        Path file = file(root, source);
        try {
            Files.createDirectories(file.getParent());
            Path written = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.write(written, columns, StandardCharsets.UTF_8);
            Files.move(written, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // the next description asks the database again
        }
    }

    static List<String> read(Path root, Source source) {
        try {
            return Files.readAllLines(file(root, source), StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
