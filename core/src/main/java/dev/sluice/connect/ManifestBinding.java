package dev.sluice.connect;

import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.Source;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How the planner binds a manifest-tracked files source that has loaded rows: as the loaded table widened by the
 * files its next load will read (new and modified ones, found by comparing the listing with the manifest), exactly
 * as {@link Tracked#append} will widen it, instead of asking the engine to glob and sniff every file of the source
 * (at a million files, longer than the whole detection).
 */
public final class ManifestBinding {
    private static final String PENDING = "sluice_scratch_pending";

    private ManifestBinding() {
    }

    /**
     * The listing of a manifest-tracked files source compared with its manifest, which says the files (absolute) its
     * next load reads; empty when the source is not one (another type, a bucket, untracked), or its files cannot be
     * listed now (the glob then reports why).
     */
    public static Optional<ManifestListing> pending(Source source, Detector detector) {
        if (!(SourceConnectors.of(source) instanceof FilesConnector files) || !files.tracked(source.spec())
                || dev.sluice.connect.s3.S3Files.handles(source)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ManifestLoader.listing(source, detector));
        } catch (java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /**
     * Creates {@code relation} empty, with the loaded columns (name to type, in order), then adds the columns the
     * pending files bring and takes the type they give a column, as the load will.
     */
    public static void describe(Session session, Source source, String relation, Path root,
            Map<String, String> loaded, List<String> pending) {
        Map<String, String> columns = new LinkedHashMap<>(loaded);
        if (!pending.isEmpty()) {
            FilesConnector.describeFiles(session, source, PENDING, root, pending);
            Map<String, String> byName = new LinkedHashMap<>();
            columns.keySet().forEach(name -> byName.put(name.toLowerCase(Locale.ROOT), name));
            for (List<Object> column : session.query("DESCRIBE " + PENDING).values()) {
                String name = (String) column.get(0);
                columns.put(byName.getOrDefault(name.toLowerCase(Locale.ROOT), name), (String) column.get(1));
            }
            session.execute("DROP TABLE " + PENDING);
        }
        List<String> definitions = columns.entrySet().stream()
                .map(column -> Sql.identifier(column.getKey()) + " " + column.getValue()).toList();
        session.execute("CREATE OR REPLACE TABLE " + relation + " (" + String.join(", ", definitions) + ")");
    }
}
