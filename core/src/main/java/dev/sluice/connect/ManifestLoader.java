package dev.sluice.connect;

import dev.sluice.SluiceException;
import dev.sluice.SourceChange;
import dev.sluice.SourceResult;
import dev.sluice.catalog.DetectionRecord;
import dev.sluice.catalog.ManifestRecord;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.incremental.FileChanges;
import dev.sluice.incremental.FileEntry;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import dev.sluice.quality.Rule;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads a files source tracked by a manifest: only new and modified files are read (modified ones replace their
 * earlier rows), deleted ones are reported or retracted, all in one transaction with the manifest and the
 * detection record. Rows live in {@code <table>__sluice_data} tagged with their file and the run that loaded them;
 * {@code <table>} is a view without those tags, and incremental models read the rows loaded after their checkpoint.
 */
final class ManifestLoader {
    static final String FILE = "_sluice_file";
    private static final String RUN = Tracked.RUN;


    private final LoadContext context;
    private final StoredPaths paths;

    ManifestLoader(LoadContext context) {
        this.context = context;
        this.paths = context.paths();
    }

    /** The source's files listed and compared with its manifest, as the next load would find them. */
    static ManifestListing listing(Source source, Detector context) {
        return ManifestListing.of(source, context.paths(), context.manifest(source));
    }

    /** The files a manifest-tracked source would read in the next run (new and modified), by absolute path. */
    static List<String> filesToRead(Source source, Detector context) {
        return listing(source, context).filesToRead();
    }

    /** What the next load would find: new, modified and deleted files. */
    static SourceChange detect(Source source, Detector context) {
        SourceSpec.Files spec = (SourceSpec.Files) source.spec();
        FileChanges changes = listing(source, context).changes();
        long bytes = changes.toRead().stream().mapToLong(FileEntry::size).sum();
        return new SourceChange(source.qualifiedName(), "manifest", String.format(Locale.ROOT,
                "%d files seen: %d new, %d modified (%,d bytes to read), %d deleted (%s)", changes.seen(),
                changes.added().size(), changes.modified().size(), bytes, changes.deleted().size(),
                spec.onDelete() == SourceSpec.OnDelete.RETRACT ? "their rows will be retracted" : "ignored"));
    }

    SourceResult load(Source source, List<Rule> rules) {
        long start = System.nanoTime();
        SourceSpec.Files spec = (SourceSpec.Files) source.spec();
        // The listing this run's planning made under the same warehouse lock, else one made now.
        ManifestListing listing = context.listing(source).orElse(null);
        if (listing == null) {
            Map<String, ManifestRecord> entries = context.catalog().state().manifest(source.qualifiedName());
            try {
                listing = ManifestListing.of(source, paths, entries);
            } catch (java.io.UncheckedIOException e) {
                return context.failed(source, start, "Cannot list the files of source " + source.qualifiedName()
                        + " (" + source.location() + "): " + e.getCause().getMessage()
                        + "; check the path and permissions");
            }
        }
        FileChanges changes = listing.changes();
        String prefix = "sluice_rejects_" + source.schema().toLowerCase(Locale.ROOT) + "_"
                + source.table().toLowerCase(Locale.ROOT);
        List<String> read = listing.filesToRead();
        CsvRejects prepared;
        try {
            prepared = CsvRejects.prepare(context.engine().dialect(), source, read, paths, prefix);
        } catch (java.io.UncheckedIOException e) {
            return context.failed(source, start, "Cannot read the files of source " + source.qualifiedName() + " ("
                    + source.location() + "): " + e.getCause().getMessage() + "; check the path and permissions");
        }
        try (Session session = context.engine().session(); CsvRejects rejects = prepared) {
            session.begin();
            try {
                List<String> replaced = new ArrayList<>(changes.modified().stream().map(FileEntry::path).toList());
                List<String> deleted = changes.deleted().stream().map(FileEntry::path).toList();
                boolean retract = spec.onDelete() == SourceSpec.OnDelete.RETRACT;
                Tracked.replaceFullTable(session, source);
                migrate(session, source, listing.legacy());
                long changed = Tracked.exists(session, source) ? delete(session, source, replaced) : 0;
                long retracted = retract && Tracked.exists(session, source) ? delete(session, source, deleted) : 0;
                long rows = 0;
                long rejected = 0;
                Map<String, Long> rowsPerFile = new HashMap<>();
                if (!read.isEmpty()) {
                    String select = "SELECT * EXCLUDE (filename), " + rejects.storedFile().apply("filename") + " AS "
                            + FILE + ", CAST(" + context.runId() + " AS BIGINT) AS " + RUN + " FROM ("
                            + rejects.selectFiles() + ")";
                    session.execute("CREATE TEMP TABLE sluice_delta AS " + select);
                    context.hideSecrets(session, "sluice_delta", FILE);
                    rejects.hideSecrets(session, context);
                    Tracked.append(session, source, "sluice_delta");
                    session.query("SELECT " + FILE + ", count(*) FROM sluice_delta GROUP BY ALL").values()
                            .forEach(row -> rowsPerFile.put((String) row.get(0), ((Number) row.get(1)).longValue()));
                    rows = count(session, "sluice_delta");
                    session.execute("DROP TABLE sluice_delta");
                    rejected = rejects.count(session);
                }
                double fraction = rows + rejected == 0 ? 0 : (double) rejected / (rows + rejected);
                if (fraction > spec.maxRejectedFraction()) {
                    Rows sample = rejects.sample(context.catalog(), session, FullLoader.KEPT_ON_FAILURE);
                    session.rollback();
                    session.begin();
                    context.catalog().state().recordRejects(session, context.runId(), source.qualifiedName(), sample);
                    SourceResult result = new SourceResult(source.qualifiedName(), false, rows, rejected,
                            LoadContext.elapsed(start), context.redact().apply(String.format(Locale.ROOT, "Cannot load source %s (%s): %d of "
                                    + "%d new lines (%.2f%%) are corrupt, above max_rejected_fraction %s; %s, fix the "
                                    + "files or raise max_rejected_fraction", source.qualifiedName(), source.location(),
                                    rejected, rows + rejected, fraction * 100, spec.maxRejectedFraction(),
                                    FullLoader.keptRejects(rejected, context.runId()))), List.of());
                    context.record(session, result);
                    session.commit();
                    return result;
                }
                SourceGates.Outcome checked = null;
                if (!rules.isEmpty() && !read.isEmpty()) {
                    // Gates check the newly loaded rows before any model reads them.
                    LoadContext.GateCheck gate = context.checkLoaded(session, source, rules, start);
                    if (gate.failure() != null) {
                        return gate.failure();
                    }
                    checked = gate.checked();
                }
                if (rejected > 0) {
                    rejects.record(context.catalog(), session, context.runId());
                }
                List<ManifestRecord> entries = new ArrayList<>();
                for (FileEntry file : changes.toRead()) {
                    entries.add(entry(source, file, rowsPerFile.getOrDefault(file.path(), 0L), context.runId()));
                }
                for (FileEntry file : changes.touched()) {
                    ManifestRecord old = listing.entry(file.path());
                    entries.add(entry(source, file, old.rowCount(), old.runId()));
                }
                context.catalog().state().recordManifest(session, entries);
                if (retract) {
                    context.catalog().state().forgetManifest(session, source.qualifiedName(), deleted);
                }
                context.catalog().state().recordDetection(session, new DetectionRecord(context.runId(), source.qualifiedName(), changes.seen(),
                        changes.added().size(), changes.modified().size(), changes.deleted().size(), Math.max(0, rows - changed),
                        changed, retracted, null, null, LoadContext.elapsed(start).toMillis(), details(changes)));
                SourceResult result = new SourceResult(source.qualifiedName(), true, rows, rejected, LoadContext.elapsed(start),
                        null, checked == null ? List.of() : checked.results());
                context.record(session, result);
                session.commit();
                return result;
            } catch (SluiceException e) {
                session.rollback();
                SourceResult result = context.failed(source, start, LoadContext.loadFailure(source, FilesConnector.from(source, paths), e.getMessage()));
                context.record(session, result);
                return result;
            }
        }
    }

    /**
     * Rewrites the entries of a catalog written before paths were stored relative to the project folder, and the file
     * tags of their rows, in the load's transaction: an upgraded project does not read its files again.
     */
    private void migrate(Session session, Source source, List<ManifestRecord> legacy) {
        if (legacy.isEmpty()) {
            return;
        }
        context.catalog().state().forgetManifest(session, source.qualifiedName(),
                legacy.stream().map(ManifestRecord::path).toList());
        context.catalog().state().recordManifest(session, legacy.stream().map(entry -> new ManifestRecord(entry.source(),
                paths.stored(entry.path()), entry.size(), entry.modifiedAt(), entry.contentHash(), entry.rowCount(),
                entry.runId())).toList());
        if (Tracked.exists(session, source)) {
            session.execute("UPDATE " + Tracked.data(source) + " SET " + FILE + " = " + paths.storedSql(FILE)
                    + " WHERE starts_with(" + FILE + ", ?)", paths.prefix());
        }
    }

    /** Deletes the rows of the given files; returns how many. */
    private static long delete(Session session, Source source, List<String> files) {
        if (files.isEmpty()) {
            return 0;
        }
        long before = count(session, Tracked.data(source));
        session.execute("DELETE FROM " + Tracked.data(source) + " WHERE " + FILE + " IN (" + String.join(", ",
                files.stream().map(Sql::string).toList()) + ")");
        return before - count(session, Tracked.data(source));
    }

    private static ManifestRecord entry(Source source, FileEntry file, long rows, long run) {
        return new ManifestRecord(source.qualifiedName(), file.path(), file.size(),
                LocalDateTime.ofInstant(file.modifiedAt(), ZoneId.systemDefault()), file.contentHash(), rows, run);
    }

    private static String details(FileChanges changes) {
        StringBuilder json = new StringBuilder("{");
        appendFiles(json, "new", changes.added());
        json.append(", ");
        appendFiles(json, "modified", changes.modified());
        json.append(", ");
        appendFiles(json, "deleted", changes.deleted());
        return json.append('}').toString();
    }

    private static void appendFiles(StringBuilder json, String name, List<FileEntry> files) {
        json.append('"').append(name).append("\": [");
        int shown = Math.min(files.size(), 100);
        for (int i = 0; i < shown; i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(files.get(i).path().replace("\\", "\\\\")
                    .replace("\"", "\\\"")).append('"');
        }
        json.append(']');
        if (files.size() > shown) {
            json.append(", \"").append(name).append("_more\": ").append(files.size() - shown);
        }
    }

    private static long count(Session session, String relation) {
        return session.query("SELECT count(*) FROM " + relation).singleLong();
    }

}
