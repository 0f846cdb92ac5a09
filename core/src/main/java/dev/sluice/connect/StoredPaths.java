package dev.sluice.connect;

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
 * A path holding a secret is stored with the secret as its {@code ${env:NAME}} placeholder ({@code redact}), so the
 * stored form cannot be turned back into the path to read: {@link ManifestListing} keeps both.
 *
 * @param root the project folder, absolute and normalised
 * @param redact replaces secret values by their placeholders
 */
public record StoredPaths(Path root, java.util.function.UnaryOperator<String> redact) {
    public StoredPaths {
        requireNonNull(root, "root");
        requireNonNull(redact, "redact");
    }

    /** The project folder with a trailing separator: what a path inside it starts with. */
    public String prefix() {
        String text = root.toString();
        return text.endsWith(File.separator) ? text : text + File.separator;
    }

    /**
     * The stored form of a path: relative to the project folder when inside it (also for an old absolute entry), with
     * secrets as their placeholders.
     */
    public String stored(String path) {
        String prefix = prefix();
        return redact.apply(path.startsWith(prefix) ? path.substring(prefix.length()) : path);
    }

    /**
     * A SQL expression giving the stored form of the absolute path that {@code expression} yields, secrets still in
     * it: the caller hides them with bound parameters ({@link LoadContext#hideSecrets}), never in SQL text.
     */
    public String storedSql(String expression) {
        String prefix = prefix();
        return "CASE WHEN starts_with(" + expression + ", " + Sql.string(prefix) + ") THEN " + expression + "["
                + (prefix.codePointCount(0, prefix.length()) + 1) + ":] ELSE " + expression + " END";
    }
}
