package dev.sluice.exec;

import dev.sluice.Backfill;
import dev.sluice.ErrorCode;
import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.PlanStep;
import dev.sluice.RunListener;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.SluiceException;
import dev.sluice.SourceResult;
import dev.sluice.StartupPhases;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.Catalogs;
import dev.sluice.catalog.ScheduleRunRecord;
import dev.sluice.connect.Detector;
import dev.sluice.connect.StoredPaths;
import dev.sluice.connect.Tracked;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Engines;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.lineage.MaskLineage;
import dev.sluice.lineage.OpenLineageEmitter;
import dev.sluice.project.ColumnMasks;
import dev.sluice.plan.PlannedModel;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Materialization;
import dev.sluice.project.Project;
import dev.sluice.storage.FreeSpace;
import dev.sluice.storage.StorageOptimizer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans and runs one loaded project. Thread-safe. It plans the project once, so a pipeline is meant for one command:
 * a new pipeline sees changed model files.
 */
public final class Pipeline {
    private final Project project;
    private final String sluiceVersion;
    private final PipelinePlan planning;

    public Pipeline(Project project, String sluiceVersion) {
        this(project, sluiceVersion, new PipelinePlan(project, sluiceVersion, PipelinePlan.Rules.BOUND));
    }

    private Pipeline(Project project, String sluiceVersion, PipelinePlan planning) {
        this.project = project;
        this.sluiceVersion = sluiceVersion;
        this.planning = planning;
    }

    /**
     * A pipeline whose plan is only read ({@code sluice ls}, {@code lineage}, {@code windows}, {@code docs}): its
     * quality rules' SQL is not bound in the scratch database, a check only what runs or previews runs needs (a
     * tenth of a cached plan's time); it cannot run, test or preview.
     */
    public static Pipeline forReading(Project project, String sluiceVersion) {
        return new Pipeline(project, sluiceVersion, new PipelinePlan(project, sluiceVersion, PipelinePlan.Rules.UNBOUND));
    }

    /**
     * Plans the project: parse, validate and cross-check every model, without changing the warehouse (it is only
     * read, when present, for the columns tracked sources hold).
     */
    public ProjectPlan plan() {
        return planning.plan();
    }

    /**
     * The plan, reading the plan cache and the tracked sources' loaded columns from the warehouse the caller holds
     * open read-only ({@code engine}, with its {@code catalog}), so that a command that reads the warehouse anyway
     * ({@code sluice lineage}: the quality of each step) opens it and checks its catalog once. Call
     * {@link #keepPending()} once {@code engine} is closed.
     */
    public ProjectPlan planReading(Engine engine, Catalog catalog) {
        return planning.planReading(engine, catalog);
    }

    /** Keeps what {@link #planReading} planned in the catalog, where it can be written now; call it after closing. */
    public void keepPending() {
        planning.keepPending();
    }

    /** The plan, binding tracked sources against the loaded columns of {@code engine}'s warehouse too. */
    private ProjectPlan planWith(Engine engine) {
        return planning.planWith(engine);
    }

    /** The quality rules of the plan; refused when any rule's SQL does not bind (found by {@link #plan()}). */
    private QualityRules quality(ProjectPlan plan) {
        return planning.quality(plan);
    }

    /** What a run with these options would build, in order, and why. Reads the catalog when the warehouse exists. */
    public List<PlanStep> steps(RunOptions options) {
        if (!Files.exists(project.warehouse())) {
            ProjectPlan plan = plan();
            return steps(plan, quality(plan), select(plan, options, null), null);
        }
        try {
            // The warehouse and its catalog are opened once, for the plan (its cache) and for the steps.
            try (Engine engine = Engines.openReadOnly(project)) {
                Catalog catalog = Catalogs.openIfPresent(project, engine).orElse(null);
                ProjectPlan plan = planning.planReading(engine, catalog);
                return steps(plan, quality(plan), select(plan, options, catalog), catalog, engine);
            }
        } finally {
            planning.keepPending();
        }
    }

    private List<PlanStep> steps(ProjectPlan plan, QualityRules quality, List<PlannedModel> selected,
            Catalog catalog) {
        return steps(plan, quality, selected, catalog, null);
    }

    /** The steps; with {@code engine} (the warehouse, read-only) windowed models tell what late rows await them. */
    private List<PlanStep> steps(ProjectPlan plan, QualityRules quality, List<PlannedModel> selected,
            Catalog catalog, Engine engine) {
        // Each is made only when a selected model needs it: the storage optimiser reads every model's lineage (a
        // tenth of a cached `sluice plan` of 1,000 models), the window builder asks the catalog for its intervals.
        WindowBuilder windows = engine == null || catalog == null
                || selected.stream().noneMatch(model -> model.model().windowed())
                || engine.relationKind("sluice", "intervals") == Engine.RelationKind.NONE ? null
                : new WindowBuilder(project, plan, engine, catalog, 0, false, null, LocalDateTime.now(ZoneOffset.UTC));
        Detector detector = windows == null ? null : new Detector(engine, catalog, new StoredPaths(project.root(), project::redact));
        StorageOptimizer storage = engine == null
                || selected.stream().noneMatch(model -> model.model().storage().partitionBy() != null) ? null
                : new StorageOptimizer(catalog, FreeSpace.FILE_STORE, StorageOptimizer.filterUses(plan.models()),
                        project.defaults().targetFileSize(), project.root());
        List<PlanStep> steps = new ArrayList<>();
        Reasons.LastBuilds lastBuilds = new Reasons.LastBuilds(catalog);
        for (PlannedModel model : selected) {
            String late = windows != null && model.model().windowed() ? windows.preview(model, detector) : "";
            String pinned = pinWarnings(storage, engine, model.model());
            List<String> upstream = new ArrayList<>(new TreeSet<>(model.upstreamModels()));
            upstream.addAll(new TreeSet<>(model.upstreamSources()));
            String reason = lastBuilds.reason(model);
            steps.add(new PlanStep(model.name(), model.model().qualifiedName(),
                    model.model().materialized().name().toLowerCase(Locale.ROOT),
                    model.model().relativeFile().toString(), reason + schemaChange(model, catalog, engine)
                    + branch(model, quality) + (late.isEmpty() ? "" : "; " + late)
                    + (pinned.isEmpty() ? "" : "; " + pinned), upstream, model.underivedReason()));
        }
        return steps;
    }

    /**
     * What a pinned partition column costs a model, from the statistics of its published table, so that sluice plan
     * warns before the build does; empty without a warehouse or a cost.
     */
    private static String pinWarnings(StorageOptimizer storage, Engine engine, dev.sluice.project.Model model) {
        if (storage == null || model.storage().partitionBy() == null) {
            return "";
        }
        try (Session session = engine.session()) {
            List<String> warnings = storage.pinWarnings(session, model);
            return warnings.isEmpty() ? "" : "warning, from the statistics of its "
                    + "published table: " + String.join("; ", warnings);
        }
    }

    /** What a run would find new or changed in each tracked source read by the selected models, loading nothing. */
    public List<dev.sluice.SourceChange> pendingChanges(RunOptions options) {
        ProjectPlan plan = plan();
        if (project.sources().stream().noneMatch(Tracked::isTracked)) {
            return List.of();
        }
        boolean warehouse = Files.exists(project.warehouse());
        try (Engine engine = Engines.open(project, warehouse ? EngineOptions.readOnly(project.warehouse(),
                project.readableRoots()) : EngineOptions.inMemory(project.readableRoots()))) {
            Catalog catalog = warehouse ? Catalogs.openIfPresent(project, engine).orElse(null) : null;
            // With --resume the selection comes from the last run in the catalog.
            Set<String> read = new TreeSet<>();
            select(plan, options, catalog).forEach(model -> read.addAll(Dependencies.sources(plan, model)));
            Detector detector = new Detector(engine, catalog, new StoredPaths(project.root(), project::redact));
            return project.sources().stream()
                    .filter(source -> Tracked.isTracked(source) && read.contains(source.qualifiedName()))
                    .map(detector::detect).toList();
        }
    }

    /**
     * What an incremental model's on_schema_change policy will do with its planned columns against its table's,
     * when it will run incrementally (a model rebuilt in full takes its new columns as they are); empty otherwise.
     */
    private static String schemaChange(PlannedModel model, Catalog catalog, Engine engine) {
        if (engine == null || model.model().incremental() == null || !Reasons.runsIncrementally(model, catalog)
                || engine.relationKind(model.model().schema(), model.name()) == Engine.RelationKind.NONE) {
            return "";
        }
        Map<String, String> planned = new java.util.LinkedHashMap<>();
        model.columns().forEach(column -> planned.put(column.name(), column.type()));
        try (Session session = engine.session()) {
            dev.sluice.incremental.SchemaChange change = dev.sluice.incremental.SchemaChange.between(ModelBuilder.columns(session,
                    Sql.qualified(model.model().schema(), model.name())), planned);
            return change.isEmpty() ? "" : "; " + Reasons.schemaChange(change,
                    model.model().incremental().onSchemaChange());
        }
    }

    /** The conditional path a model is on, for plan output; empty when it always runs. */
    private static String branch(PlannedModel model, QualityRules quality) {
        String own = quality.condition(model.name()).map(condition -> "; runs only when " + condition
                + (model.model().otherwise() == null ? "" : ", otherwise " + model.model().otherwise() + " runs"))
                .orElse("");
        return own + quality.replaces(model.name())
                .map(replaced -> "; runs only when the when: condition of " + replaced + " is false").orElse("");
    }

    /** Runs the selected models; holds the warehouse lock throughout. */
    public RunResult run(RunOptions options, String args, RunListener listener) {
        return run(options, args, listener, null);
    }

    /**
     * Restates a range of intervals of a windowed model: runs it (and, with cascade, everything downstream of it)
     * as a run would, rebuilding besides every built interval overlapping the range.
     */
    public RunResult backfill(Backfill backfill, String args, RunListener listener) {
        PlannedModel model = plan().model(backfill.model()).orElseThrow(() -> new SluiceException(ErrorCode.USAGE,
                "Cannot backfill '%s': the project has no such model; see sluice ls", backfill.model()));
        if (!model.model().windowed()) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot backfill %s (%s): it is not a windowed model; declare "
                    + "its time window (time: { column, grain, start }) or rebuild it with sluice run --select %s "
                    + "--full-refresh", model.name(), model.model().relativeFile(), model.name());
        }
        RunOptions options = RunOptions.defaults().withSelect(model.name() + (backfill.cascade() ? "+" : ""));
        return run(options, args, listener, backfill);
    }

    private RunResult run(RunOptions options, String args, RunListener listener, Backfill backfill) {
        try {
            return runLocked(options, args, listener, backfill);
        } catch (SluiceException e) {
            // DuckDB's messages may quote a secret's value (a failed cast of a secret var, a file under a secret path).
            throw e.rewritten(project::redact);
        }
    }

    private RunResult runLocked(RunOptions options, String args, RunListener listener, Backfill backfill) {
        long start = System.nanoTime();
        // A first run plans on another core while it takes the lock, opens DuckDB and creates the catalog.
        planning.planAhead();
        try (WarehouseLock lock = WarehouseLock.acquire(project, backfill == null ? "run" : "backfill");
                Engine engine = lock.guard(SecretSessions.of(Engines.openReadWrite(project), project))) {
            Catalog catalog = Catalogs.open(project, engine);
            StartupPhases.mark("catalog");
            lock.recordTakeover(catalog, backfill == null ? "run" : "backfill").ifPresent(listener::notice);
            ProjectPlan plan = StartupPhases.within("plan", () -> planWith(engine));
            QualityRules quality = quality(plan);
            List<PlannedModel> selected = select(plan, options, catalog);
            LocalDateTime runStart = LocalDateTime.now(ZoneOffset.UTC);
            long runId = catalog.runs().startRun(backfill == null ? "run" : "backfill", project.redact(args),
                    engine.version(), sluiceVersion, WarehouseLock.host(), ProcessHandle.current().pid());
            lock.running(runId);
            listener.runStarted(runId);
            if (options.scheduled() != null) {
                catalog.schedules().record(new ScheduleRunRecord(options.scheduled().schedule(),
                        LocalDateTime.ofInstant(options.scheduled().due(), ZoneOffset.UTC), "started", runId, null,
                        null));
            }
            try (OpenLineageEmitter emitter = options.openLineage() == null ? null
                    : OpenLineageEmitter.to(options.openLineage(), project.root())) {
                ColumnMasks masks = PipelinePlan.recordLineage(project, engine, catalog, runId, plan);
                WindowBuilder windows = new WindowBuilder(project, plan, engine, catalog, runId, options.fullRefresh(),
                        backfill, runStart);
                RunResult result = execute(engine, catalog, runId, plan, quality, selected, emitter, listener, start,
                        options, windows, masks);
                measureMemory(engine, listener);
                try {
                    catalog.runs().finishRun(runId, result.succeeded() ? "success" : "failed");
                } catch (RuntimeException e) {
                    // Every model's outcome is in the result: the summary is shown even when the catalog refuses
                    // the run's end (a full disk); the next command marks the run killed.
                    listener.notice(project.redact("Cannot record the end of run " + runId + " in sluice.runs: "
                            + e.getMessage() + "; the next run records it as killed"));
                }
                if (emitter != null) {
                    // Waits at most about a second for events still queued, so that the counts below are final.
                    emitter.close();
                    listener.notice(emitter.failed() == 0
                            ? String.format("OpenLineage: %d events sent to %s", emitter.sent(), emitter.target())
                            : String.format("OpenLineage: %d of %d events could not be sent to %s (%s); the run's "
                                    + "lineage is in sluice.lineage_runs", emitter.failed(),
                                    emitter.sent() + emitter.failed(), emitter.target(),
                                    String.join("; ", emitter.reasons())));
                }
                return result;
            } catch (RuntimeException e) {
                try {
                    catalog.runs().finishRun(runId, "failed");
                } catch (RuntimeException unrecorded) {
                    // The run's own failure is what the user must see; the catalog's is kept behind it.
                    e.addSuppressed(unrecorded);
                }
                throw e;
            }
        }
    }

    /**
     * Runs the quality gates of the selected models (and of the sources they read) against what is published,
     * without rebuilding anything; results and metrics go to the catalog under a run of command {@code test}.
     */
    public RunResult test(RunOptions options, String args, RunListener listener) {
        try {
            return testLocked(options, args, listener);
        } catch (SluiceException e) {
            throw e.rewritten(project::redact);
        }
    }

    private RunResult testLocked(RunOptions options, String args, RunListener listener) {
        long start = System.nanoTime();
        try (WarehouseLock lock = WarehouseLock.acquire(project, "test");
                Engine engine = lock.guard(SecretSessions.of(Engines.openReadWrite(project), project))) {
            Catalog catalog = Catalogs.open(project, engine);
            lock.recordTakeover(catalog, "test").ifPresent(listener::notice);
            ProjectPlan plan = planWith(engine);
            QualityRules quality = quality(plan);
            List<PlannedModel> chosen = select(plan, options, catalog);
            List<PlannedModel> selected = chosen.stream().filter(model -> !quality.of(model.name()).isEmpty()).toList();
            long runId = catalog.runs().startRun("test", project.redact(args), engine.version(), sluiceVersion,
                    WarehouseLock.host(), ProcessHandle.current().pid());
            listener.runStarted(runId);
            RunResult result = new PublishedTests(project, new GateRunner(catalog, runId,
                    MaskLineage.masks(project, plan.models())), quality).run(engine, runId,
                    plan, chosen, selected, listener, start);
            catalog.runs().finishRun(runId, result.succeeded() ? "success" : "failed");
            return result;
        }
    }

    /** Tells the listener the engine's memory while the run's warehouse is still open; a metric never fails a run. */
    private static void measureMemory(Engine engine, RunListener listener) {
        long bytes;
        try {
            bytes = engine.memoryBytes();
        } catch (RuntimeException e) {
            return;
        }
        if (bytes >= 0) {
            listener.engineMemory(bytes);
        }
    }

    private RunResult execute(Engine engine, Catalog catalog, long runId, ProjectPlan plan, QualityRules quality,
            List<PlannedModel> selected, OpenLineageEmitter emitter, RunListener listener, long start,
            RunOptions options, WindowBuilder windows, ColumnMasks masks) {
        Map<String, Set<String>> sourcesOf = new LinkedHashMap<>();
        for (PlannedModel model : selected) {
            Set<String> sources = new TreeSet<>(Dependencies.sources(plan, model));
            // Relationships rules read their target: load it before the gate runs.
            sources.addAll(quality.sourcesRead(model.name()));
            sourcesOf.put(model.name(), sources);
        }
        RunPreparation.createSchemas(project, engine, selected, sourcesOf);
        Map<String, SourceResult> sources = RunPreparation.loadSources(project, engine, catalog, runId, quality,
                plan, selected, sourcesOf, listener, planning.takeListings(engine));
        // the loads' records (manifests, checkpoints) reach the catalog before the models that read them start
        catalog.catchUp();
        StartupPhases.mark("sources");

        StorageOptimizer storage = new StorageOptimizer(catalog, FreeSpace.FILE_STORE,
                StorageOptimizer.filterUses(plan.models()), project.defaults().targetFileSize(), project.root(),
                project.s3());
        ModelBuilder builder = new ModelBuilder(engine, catalog, runId, project::redact, storage,
                new RunInputs(project, plan, catalog), new RunEvents(emitter, project, plan, catalog, runId,
                        engine.version(), masks), project.publicVars(), masks);
        Map<String, String> reasons = new LinkedHashMap<>();
        Map<String, String> blocked = new LinkedHashMap<>();
        for (PlannedModel model : selected) {
            reasons.put(model.name(), Reasons.of(model, catalog));
            String failedSource = sourcesOf.get(model.name()).stream()
                    .filter(source -> !sources.get(source).loaded()).findFirst().orElse(null);
            if (failedSource != null) {
                blocked.put(model.name(), "source " + failedSource + " failed to load");
            }
        }
        Paths paths = new Paths(quality, builder);
        Increments increments = new Increments(project, plan, engine, catalog, options.fullRefresh());
        Freshness freshness = new Freshness(project, plan, engine, catalog, options.fullRefresh());
        Scheduler scheduler = new Scheduler(plan, selected, paths.orderings(selected), threads(options, engine),
                options.failFast(), listener,
                model -> paths.decide(model, reasons.get(model.name()))
                        .orElseGet(() -> buildChecked(engine, builder, plan, quality, increments, freshness, windows,
                                model, paths, reasons.get(model.name()))),
                (model, notBuilt) -> builder.notBuilt(model, notBuilt.status(), notBuilt.reason(), null),
                (model, failure) -> builder.failed(model, reasons.get(model.name()), failure));
        List<ModelResult> results = scheduler.run(blocked);
        StartupPhases.mark("models");
        return new RunResult(runId, new ArrayList<>(sources.values()), results,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Builds a model after checking that the upstream models it reads but were not selected exist; {@code runReason}
     * is why it runs, before its path decision.
     */
    private ModelResult buildChecked(Engine engine, ModelBuilder builder, ProjectPlan plan, QualityRules quality,
            Increments increments, Freshness freshness, WindowBuilder windows, PlannedModel model, Paths paths,
            String runReason) {
        FaultPoints.reach(FaultPoints.BUILD, model.name(), null);
        String reason = paths.reason(model, runReason);
        for (String upstream : Dependencies.models(plan, model)) {
            PlannedModel input = plan.model(upstream).orElseThrow();
            // one this run published exists: only the others are looked up
            if (!builder.presentInRun(input.model())
                    && engine.relationKind(input.model().schema(), input.name()) == Engine.RelationKind.NONE) {
                String error = String.format("Cannot build model %s (%s): it reads %s, which has never been built; "
                        + "select it too (--select +%s)", model.name(), model.model().relativeFile(),
                        input.model().qualifiedName(), model.name());
                return builder.notBuilt(model, ModelStatus.FAILED, reason, error);
            }
        }
        Optional<String> upToDate = freshness.upToDate(model);
        if (upToDate.isPresent()) {
            // Not "rebuilt from its inputs": the reason of a model up to date says why nothing was done.
            return builder.upToDate(model, paths.reason(model, upToDate.get()));
        }
        freshness.noteRebuild(model);
        Dialect.ModelSql modelSql = engine.dialect().modelSql();
        if (modelSql.form() == Dialect.ModelSql.Form.UNPARSED_PLAN) {
            // an engine that does not run DuckDB's SQL gets Calcite's printing of the model in its dialect
            model = model.unparsedIn(modelSql.calciteDialect());
        }
        if (model.model().windowed()) {
            ModelResult result = builder.buildWindowed(windows, model, quality.of(model.name()), reason);
            if (result.status() == ModelStatus.SUCCESS) {
                freshness.rebuilt(model.name());
            }
            return result;
        }
        Increments.Increment increment = model.model().materialized() == Materialization.INCREMENTAL
                ? increments.plan(model) : null;
        ModelResult result = builder.build(model, quality.of(model.name()), reason, increment);
        if (result.status() == ModelStatus.SUCCESS) {
            freshness.rebuilt(model.name());
        }
        return result;
    }

    private List<PlannedModel> select(ProjectPlan plan, RunOptions options, Catalog catalog) {
        return ModelSelection.select(project, plan, options, catalog);
    }

    /** Models built at once: the run's --threads, else the project's defaults: threads:, else the engine's choice. */
    private int threads(RunOptions options, Engine engine) {
        if (options.threads() > 0) {
            return options.threads();
        }
        if (project.defaults().threads() > 0) {
            return project.defaults().threads();
        }
        return engine.buildsAtOnce();
    }

    static boolean runs(PlannedModel model) {
        return model.model().materialized() != Materialization.EPHEMERAL;
    }
}
