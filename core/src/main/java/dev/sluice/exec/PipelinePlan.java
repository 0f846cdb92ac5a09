package dev.sluice.exec;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.catalog.Catalog;
import dev.sluice.connect.ManifestListing;
import dev.sluice.connect.Tracked;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Engines;
import dev.sluice.engine.Session;
import dev.sluice.plan.ColumnType;
import dev.sluice.plan.PlannedModel;
import dev.sluice.plan.PlanCache;
import dev.sluice.plan.Planner;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.lineage.MaskLineage;
import dev.sluice.project.ColumnMasks;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The plan of one {@link Pipeline}, made once: the models planned against a scratch oracle (with the columns the
 * warehouse holds for tracked sources), the quality rules checked to bind over it, and its column lineage as a run
 * keeps it. Thread-safe.
 */
final class PipelinePlan {
    private final Project project;
    private final String sluiceVersion;
    private final Rules rules;
    private ProjectPlan plan;
    /** Quality rules whose SQL does not bind over the planned models and sources, found while planning. */
    private List<String> unboundRules = List.of();
    /** Rows planned by {@link #planReading} and not yet kept. */
    private List<PlanCache.Entry> pending = List.of();
    /**
     * The listings of manifest-tracked sources {@link #planWith} made under a run's lock, and the engine it made them
     * on: only that run's loads may take them (detect part).
     */
    private Map<String, ManifestListing> listings = Map.of();
    private Engine listedWith;
    /** The plan {@link #planAhead} is making on another thread, until {@link #planWith} takes it. */
    private CompletableFuture<Bound> ahead;

    /** A plan and the quality rules whose SQL does not bind over it. */
    private record Bound(ProjectPlan plan, List<String> unboundRules) {
    }

    /** Whether planning binds the quality rules' SQL: runs need it, reading a plan does not. */
    enum Rules { BOUND, UNBOUND }

    PipelinePlan(Project project, String sluiceVersion, Rules rules) {
        this.project = project;
        this.sluiceVersion = sluiceVersion;
        this.rules = rules;
    }

    /**
     * Plans the project: parse, validate and cross-check every model, without changing the warehouse (it is only
     * read, when present, for the columns tracked sources hold).
     */
    synchronized ProjectPlan plan() {
        if (plan != null) {
            return plan;
        }
        try (ScratchOracle.Start scratch = new ScratchOracle.Start(project.readableRoots())) {
            if (!Files.exists(project.warehouse())) {
                return planBinding(Map.of(), Map.of(), PlanCache.empty(sluiceVersion), scratch);
            }
            Map<String, List<ColumnType>> loaded;
            Map<String, List<String>> newFiles = Map.of();
            PlanCache cache = PlanCache.empty(sluiceVersion);
            try (Engine engine = Engines.openReadOnly(project)) {
                loaded = loadedColumns(engine);
                cache = readCache(engine);
                newFiles = filesToRead(pendingFiles(engine, loaded));
            } catch (RuntimeException e) {
                // Best effort: a warehouse another process writes, or a damaged one, plans from the files alone (the
                // run that follows reports the warehouse's own problem).
                loaded = Map.of();
            }
            ProjectPlan planned = planBinding(loaded, newFiles, cache, scratch);
            PlanCaching.keepWhereWritable(project, planned.report().written());
            return planned;
        }
    }

    /**
     * The plan, binding tracked sources against the loaded columns of {@code engine}'s warehouse too; the plan cache
     * is read from its catalog and the models planned now are kept there ({@code engine} is open for writing, under
     * the warehouse lock).
     */
    synchronized ProjectPlan planWith(Engine engine) {
        listings = Map.of();
        listedWith = null;
        CompletableFuture<Bound> madeAhead = ahead;
        ahead = null;
        if (plan != null) {
            return plan;
        }
        Map<String, List<ColumnType>> loaded = loadedColumns(engine);
        if (madeAhead != null && loaded.equals(noneLoaded())) {
            // What planAhead assumed: no manifest to list, and a plan cache would only have saved planning time.
            keep(join(madeAhead));
            PlanCaching.keep(project, engine, plan.report().written());
            listedWith = engine;
            return plan;
        }
        try (ScratchOracle.Start scratch = new ScratchOracle.Start(project.readableRoots())) {
            Map<String, ManifestListing> listed = pendingFiles(engine, loaded);
            ProjectPlan planned = planBinding(loaded, filesToRead(listed), readCache(engine), scratch);
            PlanCaching.keep(project, engine, planned.report().written());
            listings = listed;
            listedWith = engine;
            return planned;
        }
    }

    /**
     * The listings {@link #planWith} made on {@code engine} (the run's, under its warehouse lock), once; empty when
     * it made them on another engine or did not plan: the loads then list their files themselves. A run's loads read
     * the files its plan bound, and list and read each manifest once.
     */
    synchronized Map<String, ManifestListing> takeListings(Engine engine) {
        Map<String, ManifestListing> taken = engine == listedWith ? listings : Map.of();
        listings = Map.of();
        listedWith = null;
        return taken;
    }

    private static Map<String, List<String>> filesToRead(Map<String, ManifestListing> listings) {
        Map<String, List<String>> files = new LinkedHashMap<>();
        listings.forEach((source, listing) -> files.put(source, listing.filesToRead()));
        return files;
    }

    private PlanCache readCache(Engine engine) {
        return PlanCaching.read(project, engine, sluiceVersion);
    }

    /**
     * The plan, reading the tracked sources' loaded columns and the plan cache from the warehouse the caller holds
     * open read-only ({@code engine}, with its {@code catalog}, null when there is none), so that a command that
     * reads the warehouse anyway ({@code sluice plan}) opens it and checks its catalog once. What was planned now
     * is kept by {@link #keepPending()}, which the caller calls once it closed {@code engine}: a read-only and a
     * read-write connection to one file conflict in one JVM.
     */
    synchronized ProjectPlan planReading(Engine engine, Catalog catalog) {
        if (plan != null) {
            return plan;
        }
        try (ScratchOracle.Start scratch = new ScratchOracle.Start(project.readableRoots())) {
            Map<String, List<ColumnType>> loaded;
            Map<String, List<String>> newFiles = Map.of();
            PlanCache cache;
            try {
                loaded = loadedColumns(engine);
                cache = PlanCaching.read(catalog, sluiceVersion);
                newFiles = filesToRead(pendingFiles(engine, loaded));
            } catch (RuntimeException e) {
                // As plan(): a warehouse that cannot be read plans from the files alone.
                loaded = Map.of();
                cache = PlanCache.empty(sluiceVersion);
            }
            ProjectPlan planned = planBinding(loaded, newFiles, cache, scratch);
            pending = planned.report().written();
            return planned;
        }
    }

    /** Keeps what {@link #planReading} planned, where the catalog can be written now (see {@link #plan()}). */
    synchronized void keepPending() {
        List<PlanCache.Entry> entries = pending;
        pending = List.of();
        PlanCaching.keepWhereWritable(project, entries);
    }

    /**
     * Starts planning on another thread when the warehouse does not exist yet (a first run), for {@link #planWith}
     * to take: such a run finds no loaded source columns, no manifests to list and no plan cache, so its plan does not
     * depend on the warehouse, and a second core plans while the run opens DuckDB and creates the catalog.
     * {@link #planWith} takes it only once it found no loaded columns indeed, and throws its errors as its own
     * planning would; nothing is written meanwhile.
     */
    synchronized void planAhead() {
        if (plan != null || ahead != null || Files.exists(project.warehouse())) {
            return;
        }
        Map<String, List<ColumnType>> loaded = noneLoaded();
        CompletableFuture<Bound> planning = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try (ScratchOracle.Start scratch = new ScratchOracle.Start(project.readableRoots())) {
                planning.complete(bind(loaded, Map.of(), PlanCache.empty(sluiceVersion), scratch));
            } catch (RuntimeException | Error e) {
                planning.completeExceptionally(e);
            }
        }, "sluice-plan-ahead");
        // Never keeps a process alive: a run that failed before it planned (its warehouse locked) does not wait for it.
        thread.setDaemon(true);
        thread.start();
        ahead = planning;
    }

    /** What {@link #loadedColumns} finds in a warehouse where no tracked source was loaded yet. */
    private Map<String, List<ColumnType>> noneLoaded() {
        Map<String, List<ColumnType>> loaded = new LinkedHashMap<>();
        for (Source source : project.sources()) {
            if (Tracked.isTracked(source)) {
                loaded.put(source.qualifiedName().toLowerCase(Locale.ROOT), List.of());
            }
        }
        return loaded;
    }

    /** The plan made ahead; its planning's exception as planning on this thread would have thrown it. */
    private static Bound join(CompletableFuture<Bound> planning) {
        try {
            return planning.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private void keep(Bound bound) {
        unboundRules = bound.unboundRules();
        plan = bound.plan();
    }

    private synchronized ProjectPlan planBinding(Map<String, List<ColumnType>> loaded,
            Map<String, List<String>> newFiles, PlanCache cache, ScratchOracle.Start scratch) {
        // Planned once per pipeline: `sluice plan` asks for the steps and the pending changes of the same plan.
        if (plan == null) {
            keep(bind(loaded, newFiles, cache, scratch));
        }
        return plan;
    }

    /** Plans and checks the project and binds its quality rules; changes no field, so any thread may call it. */
    private Bound bind(Map<String, List<ColumnType>> loaded, Map<String, List<String>> newFiles, PlanCache cache,
            ScratchOracle.Start scratch) {
        try (ScratchOracle oracle = new ScratchOracle(scratch, loaded, newFiles)) {
            ProjectPlan planned = Planner.plan(project, oracle, cache);
            List<String> sinkProblems = SinkStep.problems(planned);
            if (!sinkProblems.isEmpty()) {
                throw SluiceException.ofProblems(ErrorCode.MODEL_INVALID, "Cannot plan the sinks of project '"
                        + project.name() + "': " + sinkProblems.size() + " problems", sinkProblems);
            }
            List<String> engineProblems = EngineChecks.problems(project, planned, Engines.of(project).dialect());
            if (!engineProblems.isEmpty()) {
                throw SluiceException.ofProblems(ErrorCode.MODEL_INVALID, "Cannot plan project '" + project.name()
                        + "' for engine " + project.engine() + ": " + engineProblems.size() + " problems",
                        engineProblems);
            }
            List<String> unbound;
            try {
                QualityRules rules = new QualityRules(project, planned);
                unbound = switch (this.rules) {
                    case BOUND -> RuleBinding.problems(project, planned, rules, oracle);
                    case UNBOUND -> List.of();
                };
                // Models whose conditions or rules read a model set aside plan, list, and refuse to be selected.
                planned = planned.withBlocked(rules.blocked());
            } catch (SluiceException e) {
                // Rules that cannot even be read are reported where the gates are planned, with every such problem.
                unbound = List.of();
            }
            return new Bound(planned, unbound);
        } catch (SluiceException e) {
            // DuckDB's messages may quote a source path or option that came from a secret.
            throw e.rewritten(project::redact);
        }
    }

    /** The quality rules of the plan; refused when any rule's SQL does not bind (found by {@link #plan()}). */
    QualityRules quality(ProjectPlan plan) {
        if (rules == Rules.UNBOUND) {
            throw new IllegalStateException("Cannot check the quality rules of project '" + project.name()
                    + "': this plan was made for reading and did not bind them; plan with new Pipeline(...)");
        }
        QualityRules quality = new QualityRules(project, plan);
        if (!unboundRules.isEmpty()) {
            throw SluiceException.ofProblems(ErrorCode.MODEL_INVALID, "Cannot plan quality gates of project '"
                    + project.name() + "': " + unboundRules.size() + " problems", unboundRules);
        }
        return quality;
    }

    /**
     * The columns of each tracked source as loaded in the warehouse, without Sluice's tags: a column its files
     * dropped stays there (NULL for new rows), and models that still select it must plan.
     */
    private Map<String, List<ColumnType>> loadedColumns(Engine engine) {
        Map<String, List<ColumnType>> loaded = new LinkedHashMap<>();
        for (Source source : project.sources()) {
            if (!Tracked.isTracked(source)) {
                continue;
            }
            List<ColumnType> columns = new ArrayList<>();
            engine.columns(source.schema(), source.table() + Tracked.DATA_SUFFIX).stream()
                    .filter(column -> !column.name().startsWith("_sluice_"))
                    .forEach(column -> columns.add(new ColumnType(column.name(), column.type())));
            loaded.put(source.qualifiedName().toLowerCase(Locale.ROOT), columns);
        }
        return loaded;
    }

    /**
     * The listing of each manifest-tracked files source with loaded rows compared with its manifest (detect part): the
     * planner binds such a source from the files its next load reads instead of globbing all its files.
     */
    private Map<String, ManifestListing> pendingFiles(Engine engine, Map<String, List<ColumnType>> loaded) {
        if (loaded.values().stream().allMatch(List::isEmpty)) {
            return Map.of();
        }
        dev.sluice.catalog.Catalog catalog;
        try {
            catalog = dev.sluice.catalog.Catalogs.openIfPresent(project, engine).orElse(null);
        } catch (RuntimeException e) {
            // Best effort, as the plan cache's read: sources then bind on their globs (the run reports the catalog).
            catalog = null;
        }
        if (catalog == null) {
            return Map.of();
        }
        dev.sluice.connect.Detector detector = new dev.sluice.connect.Detector(engine, catalog,
                new dev.sluice.connect.StoredPaths(project.root(), project::redact));
        Map<String, ManifestListing> pending = new LinkedHashMap<>();
        for (Source source : project.sources()) {
            String key = source.qualifiedName().toLowerCase(Locale.ROOT);
            if (!loaded.getOrDefault(key, List.of()).isEmpty()) {
                dev.sluice.connect.ManifestBinding.pending(source, detector).ifPresent(files -> pending.put(key, files));
            }
        }
        return pending;
    }

    /**
     * Keeps the column lineage of every planned model with the run, for SQL over lineage and its history, and the
     * masked columns it implies (returned: what the run masks where data leaves it).
     */
    static ColumnMasks recordLineage(Project project, Engine engine, Catalog catalog, long runId, ProjectPlan plan) {
        List<List<Object>> rows = new ArrayList<>();
        for (PlannedModel model : plan.models()) {
            model.lineage().forEach((column, origins) -> origins.forEach(origin -> rows.add(java.util.Arrays.asList(
                    model.model().qualifiedName(), column, origin.relation(), origin.column(), origin.type(),
                    origin.subtype(), origin.direct() ? model.columnSql().get(column) : null, origin.masking()))));
        }
        List<List<String>> expressions = new ArrayList<>();
        for (PlannedModel model : plan.models()) {
            model.expressions().forEach((column, expression) -> expressions.add(List.of(model.model().qualifiedName(),
                    column, expression)));
        }
        ColumnMasks masks = MaskLineage.masks(project, plan.models());
        ColumnMasks declared = ColumnMasks.declared(project);
        List<List<Object>> maskRows = new ArrayList<>();
        masks.byRelation().forEach((relation, columns) -> columns.forEach((column, mask) -> maskRows.add(List.of(
                relation, column, mask.word(), declared.of(relation, column) != null))));
        try (Session session = engine.session()) {
            catalog.lineage().recordLineage(session, runId, rows);
            catalog.lineage().recordExpressions(session, runId, expressions);
            catalog.lineage().recordMasks(session, runId, maskRows);
        }
        return masks;
    }
}
