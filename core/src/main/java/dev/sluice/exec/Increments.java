package dev.sluice.exec;

import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.ModelRunRecord;
import dev.sluice.connect.Tracked;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.plan.PlannedModel;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Incremental;
import dev.sluice.project.Model;
import dev.sluice.project.StorageSpec;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides, per incremental model and run, whether it folds in only what is new in its manifest-tracked sources
 * (and from which checkpoint) or is rebuilt in full, and why.
 */
final class Increments {
    /**
     * One model's work for this run.
     *
     * @param sql the SQL to build the new rows from: sliced sources when incremental, the whole inputs when full
     * @param slices tracked source → the last load folded in before this run (absent: read whole)
     * @param checkpoints source → the last load folded in once this run commits
     * @param upToDate true when no input has new rows and the model need not run
     */
    record Increment(boolean full, String sql, Map<String, Long> slices, Map<String, Long> checkpoints,
            boolean upToDate, String reason) {
    }

    private final Project project;
    private final ProjectPlan plan;
    private final Engine engine;
    private final Catalog catalog;
    private final boolean fullRefresh;

    Increments(Project project, ProjectPlan plan, Engine engine, Catalog catalog, boolean fullRefresh) {
        this.project = project;
        this.plan = plan;
        this.engine = engine;
        this.catalog = catalog;
        this.fullRefresh = fullRefresh;
    }

    Increment plan(PlannedModel planned) {
        Model model = planned.model();
        Map<String, Source> tracked = new LinkedHashMap<>();
        for (String name : Dependencies.sources(plan, planned)) {
            project.sources().stream().filter(s -> s.qualifiedName().equals(name))
                    .filter(Tracked::isTracked)
                    .forEach(s -> tracked.put(name, s));
        }
        Map<String, Long> latest = new LinkedHashMap<>();
        try (Session session = engine.session()) {
            for (Source source : tracked.values()) {
                Object max = session.query("SELECT max(" + Tracked.RUN + ") FROM " + Tracked.data(source))
                        .single();
                latest.put(source.qualifiedName(), max == null ? 0L : ((Number) max).longValue());
            }
        }
        String fullReason = fullReason(planned, tracked);
        if (fullReason != null) {
            // A full build folds in every load so far, including those that only removed rows (a retraction adds
            // no row, so the newest row's run would leave the retraction after the checkpoint, rebuilding forever).
            Map<String, Long> folded = new LinkedHashMap<>();
            latest.forEach((source, run) -> folded.put(source, Math.max(run, catalog.state().lastLoad(source))));
            return new Increment(true, planned.executableSql(), Map.of(), folded, false, fullReason);
        }
        Map<String, Long> checkpoints = catalog.state().checkpoints(model.qualifiedName());
        String sliced = planned.executableSql(source -> tracked.containsKey(source)
                ? Tracked.slice(engine.dialect(), tracked.get(source), checkpoints.get(source))
                : PlannedModel.QUOTED_SOURCES.apply(source));
        boolean nothingNew = tracked.keySet().stream().allMatch(s -> latest.get(s) <= checkpoints.get(s));
        String from = tracked.keySet().stream().map(s -> s + " after run " + checkpoints.get(s))
                .collect(Collectors.joining(", "));
        return new Increment(false, sliced, checkpoints, latest, nothingNew,
                nothingNew ? Freshness.UP_TO_DATE + "no new rows in " + from : "incremental: new rows of " + from);
    }

    /** Why the model must be rebuilt from all its input this run, or null when it can fold in new rows. */
    private String fullReason(PlannedModel planned, Map<String, Source> tracked) {
        Model model = planned.model();
        if (fullRefresh) {
            return "full refresh requested";
        }
        if (tracked.isEmpty()) {
            return "rebuilt in full: it reads no source whose changes are tracked (manifest, watermark or row_hash)";
        }
        // A lake output is published as a view of its Parquet files; a change of format rebuilds it in full.
        Engine.RelationKind published = model.storage().effectiveFormat().lake()
                ? Engine.RelationKind.VIEW : Engine.RelationKind.TABLE;
        if (engine.relationKind(model.schema(), model.name()) != published) {
            return "first build: all rows";
        }
        Optional<ModelRunRecord> last = catalog.runs().lastSuccess(model.qualifiedName());
        if (last.isEmpty() || !last.get().sqlHash().equals(model.sqlHash())
                || !last.get().materialized().equals("incremental")) {
            return "rebuilt in full: the model changed since its last build";
        }
        Map<String, Long> checkpoints = catalog.state().checkpoints(model.qualifiedName());
        for (String source : tracked.keySet()) {
            Long checkpoint = checkpoints.get(source);
            if (checkpoint == null) {
                return "rebuilt in full: no checkpoint for " + source;
            }
            if (catalog.state().rowsRetractedSince(source, checkpoint)) {
                return "rebuilt in full: rows of " + source + " were retracted since run " + checkpoint;
            }
            if (model.incremental().strategy() == Incremental.Strategy.APPEND
                    && catalog.state().rowsChangedSince(source, checkpoint)) {
                return "rebuilt in full: rows of " + source + " changed since run " + checkpoint
                        + ", and appending their rows again would duplicate them";
            }
        }
        return null;
    }
}
