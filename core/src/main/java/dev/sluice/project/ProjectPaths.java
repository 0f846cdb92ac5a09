package dev.sluice.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The trust boundary of a project on disk: Sluice reads and writes files only inside the project folder and the
 * external roots listed under {@code allowed_paths:} in sluice.yml. Stateless.
 */
final class ProjectPaths {
    private ProjectPaths() {
    }

    /**
     * True when {@code path} lies inside one of {@code roots}. Both are made absolute and normalised ({@code ..}
     * removed), and the part of each that exists is resolved to its real path, so a symbolic link inside a root
     * that points out of it is outside. Glob patterns are judged by the folder before their first wildcard
     * segment ({@code data/*}{@code /x.csv} by {@code data}). A root is inside itself.
     *
     * @param path a file, folder or glob, absolute or relative to the working directory
     * @param roots absolute folders, such as {@link Project#readableRoots()}
     */
    public static boolean isInside(Path path, List<Path> roots) {
        Path target = real(beforeWildcards(path.toAbsolutePath().normalize()));
        for (Path root : roots) {
            if (target.startsWith(real(root.toAbsolutePath().normalize()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why {@code folder} cannot be a folder Sluice writes and deletes in (a lake folder), or empty when it can: it
     * must lie inside one of {@code roots} (the project folder and its allowed_paths) without being one of them, and
     * its real location counts, so a path through a symbolic link out of them is outside.
     */
    static Optional<String> unwritable(Path folder, List<Path> roots) {
        Path target = real(folder.toAbsolutePath().normalize());
        for (Path root : roots) {
            if (target.equals(real(root.toAbsolutePath().normalize()))) {
                return Optional.of("is " + (root.equals(roots.get(0)) ? "the project folder" : "the allowed path " + root)
                        + " itself");
            }
        }
        if (!isInside(folder, roots)) {
            return Optional.of("is outside the project folder " + roots.get(0) + " and its allowed_paths (symbolic "
                    + "links are followed)");
        }
        return Optional.empty();
    }

    /** The path up to (without) its first segment holding a glob character. */
    private static Path beforeWildcards(Path path) {
        Path result = path.getRoot();
        for (Path segment : path) {
            if (segment.toString().matches(".*[*?\\[{].*")) {
                break;
            }
            result = result == null ? segment : result.resolve(segment);
        }
        return result;
    }

    /** The real path of the longest part of {@code path} that exists, followed by the rest as written. */
    private static Path real(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path)).normalize();
        } catch (IOException e) {
            // Unreadable on the way: judge by the path as written; DuckDB checks real paths again when it reads.
            return path;
        }
    }
}
