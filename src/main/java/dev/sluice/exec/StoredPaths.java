package dev.sluice.exec;

import static java.util.Objects.requireNonNull;

import dev.sluice.engine.Sql;
import java.io.File;
import java.nio.file.Path;

/**
 * How a source file's path is stored (manifest, tagged rows, detections, rejects, run lineage): relative to the project
 * folder when the file is inside it, so that a moved or copied project continues exactly where it stopped; absolute
 * when it is outside (a declared external root). Catalogs written before kept absolute paths: one under the current
 * project folder reads as its relative form.
 *
 * @param root the project folder, absolute and normalised
 */
record StoredPaths(Path root) {
    StoredPaths {
        requireNonNull(root, "root");
    }

    /** The project folder with a trailing separator: what a path inside it starts with. */
    String prefix() {
        String text = root.toString();
        return text.endsWith(File.separator) ? text : text + File.separator;
    }

    /** The stored form of a path: relative to the project folder when inside it (also for an old absolute entry). */
    String stored(String path) {
        String prefix = prefix();
        return path.startsWith(prefix) ? path.substring(prefix.length()) : path;
    }

    /** The absolute path of a stored one, to read the file. */
    String absolute(String stored) {
        return root.resolve(stored).toString();
    }

    /** A SQL expression giving the stored form of the absolute path that {@code expression} yields. */
    String storedSql(String expression) {
        String prefix = prefix();
        return "CASE WHEN starts_with(" + expression + ", " + Sql.string(prefix) + ") THEN " + expression + "["
                + (prefix.codePointCount(0, prefix.length()) + 1) + ":] ELSE " + expression + " END";
    }
}
