package dev.sluice.connect.s3;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.SourceChange;
import dev.sluice.SourceResult;
import dev.sluice.catalog.ManifestRecord;
import dev.sluice.connect.Detector;
import dev.sluice.connect.LoadContext;
import dev.sluice.connect.SourceConnector;
import dev.sluice.connect.SourceInput;
import dev.sluice.connect.StoredPaths;
import dev.sluice.engine.Session;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import dev.sluice.quality.Rule;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A files source on {@code s3://}: its objects are staged ({@link S3Staging}), then the files connector does
 * everything on the staged copy, with every path it stores or reports (manifest, row tags, rejects, errors, lineage)
 * shown as the object's s3:// URL. A store that cannot be reached fails the source, naming it and the URL, after the
 * source's retries; nothing is loaded from it in that run.
 */
public final class S3Files {
    private S3Files() {
    }

    /** True for a files source whose path is s3://. */
    public static boolean handles(Source source) {
        return source.spec() instanceof SourceSpec.Files files && files.s3() != null;
    }

    /** Loads the staged objects with {@code files}; a staging failure is the load's recorded failure. */
    public static SourceResult load(SourceConnector files, Source source, List<Rule> rules, LoadContext context) {
        long start = System.nanoTime();
        S3Staging.Staged staged;
        try {
            staged = S3Staging.stage(source, context.paths().root());
        } catch (S3Access.S3Failure | UncheckedIOException e) {
            SourceResult failed = context.failed(source, start, failure(source, e));
            try (Session session = context.engine().session()) {
                context.record(session, failed);
            }
            return failed;
        }
        UnaryOperator<String> shown = text -> context.redact().apply(staged.urls().apply(text));
        StoredPaths paths = new StoredPaths(context.paths().root(), text -> shown.apply(
                context.paths().redact().apply(text)));
        return files.load(staged.local(), rules, new LoadContext(context.engine(), context.catalog(),
                context.runId(), shown, paths, context.gates()));
    }

    /**
     * Describes the source from its staged objects (for planning). When the store cannot be reached, the copy staged
     * by an earlier run stands in: the plan goes on, and the load fails the source and only the models reading it.
     */
    public static void describe(SourceConnector files, Session session, Source source, String relation, Path root) {
        S3Staging.Staged staged;
        try {
            staged = S3Staging.stage(source, root);
        } catch (S3Access.S3Failure | UncheckedIOException e) {
            staged = S3Staging.staged(source, root).orElseThrow(() -> new SluiceException(ErrorCode.SOURCE_INVALID, e,
                    "%s", failure(source, e)));
        }
        try {
            files.describe(session, staged.local(), relation, root);
        } catch (SluiceException e) {
            throw new SluiceException(ErrorCode.SOURCE_INVALID, e, "%s", staged.urls().apply(e.getMessage()));
        }
    }

    /** Why the source could not be described: the engine's message with s3:// URLs for staged paths. */
    public static String explain(Source source, String engineMessage) {
        String message = String.valueOf(engineMessage);
        if (message.contains("No files found")) {
            return "no object matches path " + ((SourceSpec.Files) source.spec()).path() + "; add objects there, or "
                    + "fix the source's path in sluice.yml";
        }
        int echo = message.indexOf("\nLINE ");
        return (echo < 0 ? message : message.substring(0, echo)).strip() + "; check its definition in sluice.yml";
    }

    /** What the next load would find, from the objects staged now. */
    public static SourceChange detect(SourceConnector files, Source source, Detector context) {
        S3Staging.Staged staged = stageOrThrow(source, context.paths().root());
        return files.detect(staged.local(), detector(staged, context));
    }

    /** The rows the next load would read, over the staged objects. */
    public static Optional<String> pendingRows(SourceConnector files, Source source, Detector context) {
        S3Staging.Staged staged = stageOrThrow(source, context.paths().root());
        return files.pendingRows(staged.local(), detector(staged, context));
    }

    /**
     * What a build read: the objects under the source's s3:// URL with their ETags, the slice's from the manifest
     * (tracked) or those staged by the run's load (whole reads).
     */
    public static SourceInput input(Source source, Long afterRun, Long upToRun, SourceInput.Context context) {
        SourceSpec.Files files = (SourceSpec.Files) source.spec();
        Project project = context.project();
        S3Url url = S3Url.parse(files.path());
        List<SourceInput.File> listed = new ArrayList<>();
        long count = 0;
        long bytes = 0;
        if (files.changeDetection() == SourceSpec.ChangeDetection.MANIFEST) {
            long from = afterRun == null ? 0 : afterRun;
            long to = upToRun == null ? Long.MAX_VALUE : upToRun;
            for (ManifestRecord file : context.catalog().state().manifestFiles(source.qualifiedName(), from, to)) {
                count++;
                bytes += file.size();
                if (listed.size() < SourceInput.MAX_FILES) {
                    listed.add(new SourceInput.File(project.redact(file.path()), file.size(),
                            file.modifiedAt().toString(), file.contentHash()));
                }
            }
        } else {
            for (S3Staging.StagedObject object : S3Staging.lastStaged(source, project.root())) {
                count++;
                bytes += object.size();
                if (listed.size() < SourceInput.MAX_FILES) {
                    listed.add(new SourceInput.File(project.redact(object.url()), object.size(),
                            object.lastModified().toString(), object.etag()));
                }
            }
        }
        return new SourceInput(URI.create(project.redact("s3://" + url.bucket() + "/" + url.prefix())), listed,
                count, bytes, null);
    }

    private static Detector detector(S3Staging.Staged staged, Detector context) {
        StoredPaths paths = new StoredPaths(context.paths().root(), text -> staged.urls().apply(
                context.paths().redact().apply(text)));
        return new Detector(context.engine(), context.catalog(), paths);
    }

    private static S3Staging.Staged stageOrThrow(Source source, Path root) {
        try {
            return S3Staging.stage(source, root);
        } catch (S3Access.S3Failure | UncheckedIOException e) {
            throw new SluiceException(ErrorCode.SOURCE_INVALID, e, "%s", failure(source, e));
        }
    }

    /** A staging failure in the user's terms: the source, where it is declared, its s3:// path and why. */
    static String failure(Source source, RuntimeException e) {
        return String.format("Cannot load source %s (%s) from %s: %s", source.qualifiedName(), source.location(),
                ((SourceSpec.Files) source.spec()).path(), e.getMessage());
    }
}
