package dev.sluice.connect;

import dev.sluice.SourceChange;
import dev.sluice.SourceResult;
import dev.sluice.catalog.ManifestRecord;
import dev.sluice.connect.s3.S3Files;
import dev.sluice.engine.Session;
import dev.sluice.incremental.FileEntry;
import dev.sluice.incremental.FileScanner;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import dev.sluice.project.SourceConfig;
import dev.sluice.project.SourceSpec;
import dev.sluice.quality.Rule;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code type: files}: CSV, Parquet or JSON files matching a glob, read in full on every run or, with
 * {@code change_detection: manifest}, only the new and modified ones (by path, size, modification time and
 * optionally a content hash). Corrupt CSV lines are kept in {@code sluice.rejects}. A source whose rows need no
 * copy (see {@link InPlaceLoader#inPlace}) is read in place: its relation is a view over the files.
 */
public final class FilesConnector implements SourceConnector {

    @Override
    public String type() {
        return "files";
    }

    @Override
    public SourceSpec parse(SourceConfig config) {
        return FilesConfigParser.parse(config);
    }

    @Override
    public boolean tracked(SourceSpec spec) {
        return ((SourceSpec.Files) spec).changeDetection() == SourceSpec.ChangeDetection.MANIFEST;
    }

    @Override
    public void describe(Session session, Source source, String relation, Path root) {
        if (S3Files.handles(source)) {
            S3Files.describe(this, session, source, relation, root);
            return;
        }
        describeFiles(session, source, relation, root, null);
    }

    /**
     * Creates {@code relation} empty, with the columns the given files (absolute; null: every file of the source)
     * have when read as the load reads them.
     */
    static void describeFiles(Session session, Source source, String relation, Path root, List<String> files) {
        String select = files == null ? SourceSql.select(session.dialect(), source, "sluice_scratch_rejects")
                : SourceSql.selectListed(session.dialect(), source, files, "sluice_scratch_rejects");
        try {
            // Read as the load will (keeping rejects aside), so corrupt lines do not break the description.
            session.execute("CREATE OR REPLACE TABLE " + relation + " AS SELECT * FROM (" + select + ") LIMIT 0");
        } catch (dev.sluice.SluiceException e) {
            // A malformed quote can defeat DuckDB's sniffer: read as the load does, those lines set aside (only
            // then, as that scans the files). Nothing read here is stored, so paths need no project folder.
            try (CsvRejects read = CsvRejects.prepare(session.dialect(), source, files,
                    new StoredPaths(root, text -> text),
                    "sluice_scratch_rejects")) {
                if (!read.cleaned()) {
                    throw e;
                }
                session.execute("CREATE OR REPLACE TABLE " + relation + " AS SELECT * FROM (" + read.selectAll()
                        + ") LIMIT 0");
            }
        }
    }

    @Override
    public String explain(Source source, String engineMessage, Path root) {
        if (S3Files.handles(source)) {
            return S3Files.explain(source, engineMessage);
        }
        String message = String.valueOf(engineMessage);
        if (!message.contains("No files found")) {
            return SourceConnector.super.explain(source, engineMessage, root);
        }
        Path pattern = Path.of(((SourceSpec.Files) source.spec()).path());
        Path folder = pattern.getParent();
        while (folder != null && folder.toString().matches(".*[*?\\[{].*")) {
            folder = folder.getParent();
        }
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            return "the path " + shown(root, existing) + " is a file, not a folder, so no file matches path "
                    + shown(root, pattern) + "; move that file into a folder of that name, or fix the source's path"
                    + " in sluice.yml";
        }
        if (existing != null && (!Files.isReadable(existing) || !Files.isExecutable(existing))) {
            return "the folder " + shown(root, existing) + " cannot be read (permission denied); give the user running"
                    + " Sluice read access to it";
        }
        if (folder != null && !folder.equals(existing)) {
            return "the folder " + shown(root, folder) + " does not exist, so no file matches path "
                    + shown(root, pattern) + "; create it and add files, or fix the source's path in sluice.yml";
        }
        return "no file matches path " + shown(root, pattern) + "; add files there, or fix the source's path in "
                + "sluice.yml";
    }

    /** A path as the user wrote it: relative to the project folder when inside it. */
    private static String shown(Path root, Path path) {
        Path absolute = root.resolve(path).normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
    }

    @Override
    public SourceResult load(Source source, List<Rule> rules, LoadContext context) {
        if (S3Files.handles(source)) {
            return S3Files.load(this, source, rules, context);
        }
        if (tracked(source.spec())) {
            return new ManifestLoader(context).load(source, rules);
        }
        if (InPlaceLoader.inPlace(source, rules, context)) {
            return new InPlaceLoader(context).load(source, rules);
        }
        return new FullLoader(context).load(source, rules,
                (session, prefix) -> CsvRejects.prepare(session.dialect(), source, null, context.paths(), prefix),
                ((SourceSpec.Files) source.spec()).maxRejectedFraction(), from(source, context.paths()));
    }

    @Override
    public SourceChange detect(Source source, Detector context) {
        if (S3Files.handles(source)) {
            return S3Files.detect(this, source, context);
        }
        return ManifestLoader.detect(source, context);
    }

    @Override
    public Optional<String> pendingRows(Source source, Detector context) {
        if (S3Files.handles(source)) {
            return S3Files.pendingRows(this, source, context);
        }
        if (!tracked(source.spec())) {
            return Optional.empty();
        }
        List<String> files = ManifestLoader.filesToRead(source, context);
        return files.isEmpty() ? Optional.empty()
                : Optional.of(SourceSql.selectFiles(context.engine().dialect(), source, files, null));
    }

    @Override
    public SourceInput input(Source source, Long afterRun, Long upToRun, SourceInput.Context context) {
        if (S3Files.handles(source)) {
            return S3Files.input(source, afterRun, upToRun, context);
        }
        SourceSpec.Files files = (SourceSpec.Files) source.spec();
        Project project = context.project();
        // Paths as written in sluice.yml where they hold a secret: ${env:NAME} instead of its value.
        URI uri = project.root().resolve(project.redact(files.path())).toUri();
        List<SourceInput.File> listed = new ArrayList<>();
        long count = 0;
        long bytes = 0;
        if (tracked(files)) {
            long from = afterRun == null ? 0 : afterRun;
            long to = upToRun == null ? Long.MAX_VALUE : upToRun;
            for (ManifestRecord file : context.catalog().state().manifestFiles(source.qualifiedName(), from, to)) {
                count++;
                bytes += file.size();
                if (listed.size() < SourceInput.MAX_FILES) {
                    listed.add(new SourceInput.File(project.redact(file.path()), file.size(),
                            file.modifiedAt().toString()));
                }
            }
        } else {
            StoredPaths paths = new StoredPaths(project.root(), project::redact);
            for (FileEntry file : context.scanned(source, () -> FileScanner.scan(files.path()))) {
                count++;
                bytes += file.size();
                if (listed.size() < SourceInput.MAX_FILES) {
                    listed.add(new SourceInput.File(paths.stored(file.path()), file.size(),
                            file.modifiedAt().toString()));
                }
            }
        }
        return new SourceInput(uri, listed, count, bytes, null);
    }

    /** How load failures name a files source's path: {@code " from path ..."}, relative to the project. */
    static String from(Source source, StoredPaths paths) {
        return " from path " + paths.stored(((SourceSpec.Files) source.spec()).path());
    }
}
