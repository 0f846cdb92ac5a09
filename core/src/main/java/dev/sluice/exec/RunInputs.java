package dev.sluice.exec;

import dev.sluice.catalog.Catalog;
import dev.sluice.connect.SourceConnectors;
import dev.sluice.connect.SourceInput;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model build read, exactly: for each source and model it reads, whether it read all of it or a slice, and
 * for sources the files (path, size, modification time) or the watermark range behind that read. Kept per build in
 * {@code sluice.lineage_runs.inputs}, so the history of a table can be replayed run by run.
 */
final class RunInputs {
    /** A file read, as it was when read; {@code etag} only for an S3 object. */
    record File(String path, long size, String modifiedAt,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            String etag) {
    }

    /**
     * One relation a build read.
     *
     * @param kind {@code source} or {@code model}
     * @param afterRun for a slice: the last load folded in before this build (null when read whole)
     * @param upToRun for a slice: the last load folded in by this build
     * @param files the files behind a files source's read (the slice's, or all), at most
     *     {@link SourceInput#MAX_FILES}
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
    /** Shared by every build of the run: files of untracked sources are listed once. */
    private final SourceInput.Context sources;

    RunInputs(Project project, dev.sluice.plan.ProjectPlan plan, Catalog catalog) {
        this.project = project;
        this.plan = plan;
        this.sources = new SourceInput.Context(project, catalog);
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

    /** What the source's connector says the build read of it. */
    private Input source(Source source, Long after, Long upTo) {
        SourceInput read = SourceConnectors.of(source).input(source, after, upTo, sources);
        return new Input(source.qualifiedName(), "source", read.uri(), after, upTo, read.files().stream()
                .map(file -> new File(file.path(), file.size(), file.modifiedAt(), file.etag())).toList(), read.fileCount(),
                read.fileBytes(), read.watermark());
    }

    private URI warehouseUri() {
        return Path.of(project.warehouse().toString()).toUri();
    }
}
