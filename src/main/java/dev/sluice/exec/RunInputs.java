package dev.sluice.exec;

import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.ManifestRecord;
import dev.sluice.incremental.FileEntry;
import dev.sluice.incremental.FileScanner;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a model build read, exactly: for each source and model it reads, whether it read all of it or a slice, and
 * for sources the files (path, size, modification time) or the watermark range behind that read. Kept per build in
 * {@code sluice.lineage_runs.inputs}, so the history of a table can be replayed run by run.
 */
final class RunInputs {
    /** Files listed per source at most; beyond that the count and total size stand for the rest. */
    static final int MAX_FILES = 1000;

    /** A file read, as it was when read. */
    record File(String path, long size, String modifiedAt) {
    }

    /**
     * One relation a build read.
     *
     * @param kind {@code source} or {@code model}
     * @param afterRun for a slice: the last load folded in before this build (null when read whole)
     * @param upToRun for a slice: the last load folded in by this build
     * @param files the files behind a files source's read (the slice's, or all), at most {@link #MAX_FILES}
     * @param fileCount how many files, listed or not; null for relations that are not files
     * @param watermark a table source's high-water marks before and after the slice; null otherwise
     */
    record Input(String name, String kind, URI uri, Long afterRun, Long upToRun, List<File> files, Long fileCount,
            Long fileBytes, List<String> watermark) {
        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put(kind, name);
            json.put("read", afterRun == null ? "whole" : "slice");
            if (afterRun != null) {
                json.put("loaded_after_run", afterRun);
                json.put("loaded_up_to_run", upToRun);
            }
            if (fileCount != null) {
                json.put("file_count", fileCount);
                json.put("file_bytes", fileBytes);
                json.put("files", files);
            }
            if (watermark != null) {
                json.put("watermark_from", watermark.get(0));
                json.put("watermark_to", watermark.get(1));
            }
            return json;
        }
    }

    private final Project project;
    private final dev.sluice.plan.ProjectPlan plan;
    private final Catalog catalog;
    /** Files of untracked files sources, listed once per run: every model reading one reads the same files. */
    private final Map<String, List<FileEntry>> scanned = new ConcurrentHashMap<>();

    RunInputs(Project project, dev.sluice.plan.ProjectPlan plan, Catalog catalog) {
        this.project = project;
        this.plan = plan;
        this.catalog = catalog;
    }

    /**
     * The inputs of one build, ephemeral models seen through (their inputs are read); {@code increment} is null unless
     * the model is incremental.
     */
    List<Input> of(PlannedModel planned, Increments.Increment increment) {
        List<Input> inputs = new ArrayList<>();
        for (String name : Dependencies.sources(plan, planned)) {
            Source source = project.sources().stream().filter(s -> s.qualifiedName().equals(name)).findFirst()
                    .orElseThrow();
            boolean sliced = increment != null && increment.slices().containsKey(name);
            Long after = sliced ? increment.slices().get(name) : null;
            Long upTo = sliced ? increment.checkpoints().get(name) : null;
            inputs.add(source(source, after, upTo));
        }
        for (String upstream : Dependencies.models(plan, planned)) {
            inputs.add(new Input(plan.model(upstream).orElseThrow().model().qualifiedName(), "model", warehouseUri(),
                    null, null, List.of(), null, null, null));
        }
        return inputs;
    }

    private Input source(Source source, Long after, Long upTo) {
        if (source.spec() instanceof SourceSpec.Files files) {
            // Paths as written in sluice.yml where they hold a secret: ${env:NAME} instead of its value.
            URI uri = project.root().resolve(project.redact(files.path())).toUri();
            List<File> listed = new ArrayList<>();
            long count = 0;
            long bytes = 0;
            if (Tracked.isTracked(source)) {
                long from = after == null ? 0 : after;
                long to = upTo == null ? Long.MAX_VALUE : upTo;
                for (ManifestRecord file : catalog.manifestFiles(source.qualifiedName(), from, to)) {
                    count++;
                    bytes += file.size();
                    if (listed.size() < MAX_FILES) {
                        listed.add(new File(project.redact(file.path()), file.size(),
                                file.modifiedAt().toString()));
                    }
                }
            } else {
                for (FileEntry file : scanned.computeIfAbsent(source.qualifiedName(),
                        k -> FileScanner.scan(files.path()))) {
                    count++;
                    bytes += file.size();
                    if (listed.size() < MAX_FILES) {
                        listed.add(new File(new StoredPaths(project.root(), project::redact).stored(file.path()),
                                file.size(), file.modifiedAt().toString()));
                    }
                }
            }
            return new Input(source.qualifiedName(), "source", uri, after, upTo, listed, count, bytes, null);
        }
        List<String> watermark = null;
        URI uri = warehouseUri();
        if (source.spec() instanceof SourceSpec.Table table) {
            // The database's name as written in sluice.yml, secrets hidden: a connection string may hold a password.
            uri = opaque("database", project.redact(table.database()));
            watermark = catalog.watermarkRange(source.qualifiedName(), after == null ? 0 : after,
                    upTo == null ? Long.MAX_VALUE : upTo).orElse(null);
        }
        return new Input(source.qualifiedName(), "source", uri, after, upTo, List.of(), null, null, watermark);
    }

    private static URI opaque(String scheme, String text) {
        try {
            return new URI(scheme, text, null);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("a scheme and any text always make an opaque URI", e);
        }
    }

    private URI warehouseUri() {
        return Path.of(project.warehouse().toString()).toUri();
    }
}
