package dev.sluice.exec;

import dev.sluice.SourceChange;
import dev.sluice.catalog.Catalog;
import dev.sluice.connect.SourceSql;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.incremental.FileChanges;
import dev.sluice.incremental.FileEntry;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Looks at tracked sources without loading anything, for {@code plan}: the files a manifest would read, the rows
 * above a watermark, the keys whose row hash changed. With no catalog yet, everything is new.
 */
final class Detector {
    private final Engine engine;
    private final Catalog catalog;
    private final StoredPaths paths;

    /**
     * {@code engine} is the warehouse (read-only) or a scratch database; {@code catalog} is null when there is none;
     * {@code paths} says how the manifest stores file paths.
     */
    Detector(Engine engine, Catalog catalog, StoredPaths paths) {
        this.engine = engine;
        this.catalog = catalog;
        this.paths = paths;
    }

    SourceChange detect(Source source) {
        if (source.spec() instanceof SourceSpec.Files files) {
            return files(source, files);
        }
        SourceSpec.Table table = (SourceSpec.Table) source.spec();
        return table.detection() == SourceSpec.TableDetection.WATERMARK ? watermark(source, table) : rowHash(source);
    }

    /** The files a manifest-tracked source would read in the next run (new and modified), by absolute path. */
    List<String> filesToRead(Source source) {
        Map<String, String> real = new HashMap<>();
        return changes(source, (SourceSpec.Files) source.spec(), real).toRead().stream()
                .map(file -> real.get(file.path())).toList();
    }

    private FileChanges changes(Source source, SourceSpec.Files spec, Map<String, String> real) {
        return ManifestLoader.changes(paths, catalog == null ? Map.of() : catalog.manifest(source.qualifiedName()),
                spec, real);
    }

    private SourceChange files(Source source, SourceSpec.Files spec) {
        FileChanges changes = changes(source, spec, new HashMap<>());
        long bytes = changes.toRead().stream().mapToLong(FileEntry::size).sum();
        return new SourceChange(source.qualifiedName(), "manifest", String.format(Locale.ROOT,
                "%d files seen: %d new, %d modified (%,d bytes to read), %d deleted (%s)", changes.seen(),
                changes.added().size(), changes.modified().size(), bytes, changes.deleted().size(),
                spec.onDelete() == SourceSpec.OnDelete.RETRACT ? "their rows will be retracted" : "ignored"));
    }

    private SourceChange watermark(Source source, SourceSpec.Table spec) {
        String previous = catalog == null ? null : catalog.watermark(source.qualifiedName()).orElse(null);
        String column = Sql.identifier(spec.watermark());
        try (Session session = engine.session()) {
            SourceSql.setup(source).ifPresent(session::execute);
            String external = SourceSql.externalTable(source);
            String type = (String) session.query("SELECT column_type FROM (DESCRIBE " + external + ") WHERE "
                    + "column_name = ?", spec.watermark()).single();
            String filter = previous == null ? "" : " WHERE " + column + " > CAST(" + Sql.string(previous) + " AS "
                    + type + ")";
            List<Object> row = session.query("SELECT count(*), CAST(min(" + column + ") AS VARCHAR), CAST(max("
                    + column + ") AS VARCHAR) FROM " + external + filter).values().get(0);
            long rows = ((Number) row.get(0)).longValue();
            return new SourceChange(source.qualifiedName(), "watermark", String.format(Locale.ROOT,
                    "%d rows above the watermark %s%s; overlap re-read: %s", rows,
                    previous == null ? "(first load: all rows)" : previous,
                    rows == 0 ? "" : ", " + spec.watermark() + " from " + row.get(1) + " to " + row.get(2),
                    spec.overlap() == null ? "none" : spec.overlap()));
        }
    }

    private SourceChange rowHash(Source source) {
        try (Session session = engine.session()) {
            SourceSql.setup(source).ifPresent(session::execute);
            long rows = session.query("SELECT count(*) FROM " + SourceSql.externalTable(source)).singleLong();
            if (catalog == null || engine.relationKind(source.schema(), source.table() + Tracked.DATA_SUFFIX)
                    == Engine.RelationKind.NONE) {
                return new SourceChange(source.qualifiedName(), "row_hash", rows + " rows, all new (first load)");
            }
            List<String> columns = session.query("DESCRIBE " + SourceSql.externalTable(source)).values().stream()
                    .map(row -> Sql.identifier((String) row.get(0))).toList();
            long differing = session.query("SELECT count(*) FROM " + SourceSql.externalTable(source) + " AS d WHERE "
                    + "NOT EXISTS (SELECT 1 FROM " + Tracked.data(source) + " AS t WHERE t." + TableLoader.HASH
                    + " = hash(" + String.join(", ", columns.stream().map(c -> "d." + c).toList()) + "))")
                    .singleLong();
            return new SourceChange(source.qualifiedName(), "row_hash", String.format(Locale.ROOT,
                    "%d rows, %d new or changed; deleted keys are found when it loads", rows, differing));
        }
    }

}
