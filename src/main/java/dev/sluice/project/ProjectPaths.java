package dev.sluice.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a folder Sluice writes and deletes in may be: inside the project folder. One function, so that declared
 * external roots ({@code allowed_paths:} in sluice.yml) can widen it in one place.
 */
final class ProjectPaths {
    private ProjectPaths() {
    }

    /**
     * Why {@code folder} (absolute) is not a folder inside the project folder {@code root}, or empty when it is. The
     * real location counts: a path through a symbolic link out of the project is outside it.
     */
    static Optional<String> outsideProject(Path root, Path folder) {
        Path normal = folder.toAbsolutePath().normalize();
        if (normal.equals(root)) {
            return Optional.of("is the project folder itself");
        }
        if (!normal.startsWith(root)) {
            return Optional.of("is outside the project folder " + root);
        }
        Path real = realPath(normal);
        Path realRoot = realPath(root);
        if (!real.startsWith(realRoot) || real.equals(realRoot)) {
            return Optional.of("is outside the project folder " + root + " (it goes through a link to "
                    + realPath(existing(normal)) + ")");
        }
        return Optional.empty();
    }

    /** The real path of a folder that may not exist yet: its nearest existing parent's, with the rest appended. */
    private static Path realPath(Path path) {
        Path existing = existing(path);
        try {
            return existing.toRealPath().resolve(existing.relativize(path).toString()).normalize();
        } catch (IOException e) {
            // unreadable: judged by its name, as the lexical check above did
            return path;
        }
    }

    private static Path existing(Path path) {
        Path existing = path;
        while (existing.getParent() != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing;
    }
}
