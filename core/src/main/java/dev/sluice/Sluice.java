package dev.sluice;

import dev.sluice.catalog.ArrivalLatenessRecord;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.Catalogs;
import dev.sluice.catalog.ModelRunRecord;
import dev.sluice.catalog.QualityResultRecord;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Engines;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.UserQuery;
import dev.sluice.exec.Pipeline;
import dev.sluice.docs.DocsReport;
import dev.sluice.exec.StorageCommands;
import dev.sluice.lineage.ColumnLineage;
import dev.sluice.exec.WarehouseLock;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.ColumnMasks;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectReader;
import dev.sluice.project.ProjectTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A pipeline folder opened for planning, running and inspection: the public entry point of Sluice.
 * Opening reads and checks every file; the warehouse is opened only for the duration of each call, so an open
 * {@code Sluice} holds no lock. Thread-safe, but runs on one warehouse are serialised by its lock.
 */
public final class Sluice {
    /** This engine's version, recorded with every run. */
    public static final String VERSION = "0.1.0";

    private final Path root;
    private final Project project;
    private final ProjectNames names;

    private Sluice(Path root, Project project) {
        this.root = root;
        this.project = project;
        this.names = new ProjectNames(project, root);
    }

    /** Reads the pipeline folder; throws a SluiceException listing every problem found in its files. */
    public static Sluice open(Path projectDir) {
        return open(projectDir, Map.of());
    }

    /** Reads the pipeline folder with {@code --var} overrides applied. */
    public static Sluice open(Path projectDir, Map<String, String> vars) {
        StartupPhases.mark("cli");
        Path root = projectDir.toAbsolutePath().normalize();
        Sluice sluice = new Sluice(root, ProjectReader.read(root, vars));
        StartupPhases.mark("project");
        return sluice;
    }

    /**
     * Reads the pipeline folder with {@code --var} overrides applied, run by the engine {@code engine} names (null:
     * sluice.yml's) with {@code engineSettings} laid over its settings ({@code master}, {@code conf.<key>}): what
     * {@code sluice run --engine spark --master local[4]} chooses.
     */
    public static Sluice open(Path projectDir, Map<String, String> vars, String engine,
            Map<String, String> engineSettings) {
        StartupPhases.mark("cli");
        Path root = projectDir.toAbsolutePath().normalize();
        Sluice sluice = new Sluice(root, ProjectReader.read(root, vars,
                new dev.sluice.project.EngineChoice(engine, engineSettings)));
        StartupPhases.mark("project");
        return sluice;
    }

    /** Creates a new pipeline folder holding a small working example. */
    public static void init(Path projectDir) {
        ProjectTemplate.write(projectDir);
    }

    /** The project's name, folder, warehouse and sources. */
    public ProjectInfo project() {
        return ApiValues.project(project);
    }

    /** The planned models: validated, in dependency order (ephemeral ones included). */
    public List<ModelInfo> models() {
        return planned().stream().map(ApiValues::model).toList();
    }

    private List<PlannedModel> planned() {
        // Planned for reading: the rules' SQL is bound only where models run or their steps are previewed.
        return StartupPhases.within("plan", () -> Pipeline.forReading(project, VERSION).plan().models());
    }

    /** The column lineage of the project, derived from its models' query plans. */
    public Lineage lineage() {
        return new Lineage(lineage(planned()));
    }

    /**
     * {@link #lineage()} with the quality results of every model and source in the last run that checked it (as
     * {@link #latestQuality} gives them), read in the one opening of the warehouse that planning makes for the plan
     * cache: what {@code sluice lineage} prints for root-cause analysis. Before the first run (no warehouse) there
     * are no results.
     *
     * @throws SluiceException with {@link ErrorCode#WAREHOUSE_LOCKED} while a run writes the warehouse, and as
     *     {@link #latestQuality} when its catalog is missing, damaged or newer
     */
    public LineageReport lineageWithQuality() {
        if (!Files.exists(project.warehouse())) {
            return new LineageReport(lineage(), Map.of());
        }
        Pipeline pipeline = Pipeline.forReading(project, VERSION);
        WarehouseReads.Planned planned;
        try {
            try (Engine engine = openReadOnly()) {
                planned = new WarehouseReads(project, names, engine).planWithQuality(pipeline);
            }
        } finally {
            // Models planned now are kept once the read-only connection is closed: a writer would conflict with it.
            pipeline.keepPending();
        }
        return new LineageReport(new Lineage(lineage(planned.models())), planned.latestQuality());
    }

    /**
     * An OpenLineage run event (JSON) for one model of {@code lineage}, with its column-lineage facet, in the
     * namespace of this project's warehouse.
     */
    public String openLineageEvent(Lineage lineage, String model) {
        return dev.sluice.lineage.OpenLineage.toJson(dev.sluice.lineage.OpenLineage.runEvent(lineage.graph(),
                dev.sluice.lineage.OpenLineage.namespace(project.root(), project.warehouse()), model,
                java.util.UUID.randomUUID(), java.time.Instant.now()));
    }

    private ColumnLineage lineage(List<PlannedModel> models) {
        List<String> pii = new java.util.ArrayList<>();
        project.sources().forEach(source -> source.columns().forEach((column, meta) -> {
            if (meta.pii()) {
                pii.add(source.qualifiedName() + "." + column);
            }
        }));
        return ColumnLineage.of(models, pii);
    }

    /**
     * Writes the project's static report ({@link DocsReport}) to {@code target}, replacing it whole: the model graph,
     * each model's SQL and columns with their lineage, and the last run and quality results from the catalog (none
     * before the first run). Returns the file written.
     */
    public Path docs(Path target) {
        List<PlannedModel> models = planned();
        Map<String, ModelRunRecord> lastRuns = new java.util.HashMap<>();
        Map<String, List<QualityResultRecord>> quality = new java.util.HashMap<>();
        if (Files.exists(project.warehouse())) {
            try (Engine engine = openReadOnly()) {
                Catalog catalog = Catalogs.openExisting(project, engine);
                catalog.runs().lastModelRuns().forEach(run -> lastRuns.put(names.modelName(run.model()), run));
                for (QualityResultRecord result : catalog.quality().lastQualityResults()) {
                    quality.computeIfAbsent(names.modelName(result.model()),
                            k -> new java.util.ArrayList<>()).add(result);
                }
            }
        }
        String html = DocsReport.html(new DocsReport.Contents(project.name(), models, project.sources(),
                lineage(models), lastRuns, quality, java.time.Instant.now()));
        Path file = target.toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
            // Written next to the target, then moved over it: a reader never sees half a report.
            // Not a temp file: those are made readable by their owner only, and the report is meant to be shared
            // (created like any file, its mode follows the umask).
            Path partial = file.resolveSibling(file.getFileName() + "." + java.util.UUID.randomUUID() + ".partial");
            Files.writeString(partial, html, java.nio.file.StandardOpenOption.CREATE_NEW);
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new SluiceException(ErrorCode.USAGE, e, "Cannot write the report to %s: %s; pass a writable path "
                    + "with --output", target, e.getMessage());
        }
        return file;
    }

    /** The column lineage a past run planned, as it kept it in the catalog. */
    public Lineage lineageAsOf(long runId) {
        try (Engine engine = openReadOnly()) {
            Rows rows = Catalogs.openExisting(project, engine).lineage().lineageAt(runId);
            if (rows.isEmpty()) {
                throw new SluiceException(ErrorCode.USAGE, "Cannot show the lineage of run %d: the catalog has none for "
                        + "it; see sluice runs %s for the runs", runId, root);
            }
            List<ColumnLineage.Edge> edges = rows.values().stream().map(row -> new ColumnLineage.Edge(
                    (String) row.get(1), (String) row.get(0), (String) row.get(2), (String) row.get(3),
                    (Boolean) row.get(4))).toList();
            Map<String, String> sql = new java.util.HashMap<>();
            rows.values().stream().filter(row -> row.get(5) != null)
                    .forEach(row -> sql.put((String) row.get(0), (String) row.get(5)));
            Map<String, Long> snapshots = new java.util.TreeMap<>();
            Catalogs.openExisting(project, engine).storage().icebergVersionsAsOf(runId).forEach((model, version) -> {
                if (version.snapshotId() != null) {
                    snapshots.put(model, version.snapshotId());
                }
            });
            return new Lineage(ColumnLineage.ofEdges(edges, sql), snapshots);
        }
    }

    /**
     * The rows of an Iceberg model ({@code storage: { format: iceberg }}, named {@code schema.model} or
     * {@code model}) as they were after run {@code runId}: time travel to the snapshot that run left current, read
     * from its data files in the types they hold.
     *
     * @throws SluiceException with {@link ErrorCode#USAGE} when the model had no Iceberg snapshot then
     */
    public QueryResult readAsOf(String model, long runId) {
        String qualified = model.contains(".") ? model : "main." + model;
        try (Engine engine = openReadOnly(); Session session = engine.session()) {
            String sql = dev.sluice.storage.iceberg.IcebergSnapshots.readAsOf(session,
                    Catalogs.openExisting(project, engine).storage(), root, qualified, runId);
            Rows rows = session.query(sql);
            return new QueryResult(rows.columns(), rows.values());
        }
    }

    /** What {@link #run} would build with these options, in order, and why. */
    public List<PlanStep> plan(RunOptions options) {
        return pipeline(options).steps(options);
    }

    /** What a run with these options would find new or changed in each tracked source, loading nothing. */
    public List<SourceChange> pendingChanges(RunOptions options) {
        return pipeline(options).pendingChanges(options);
    }

    /** {@link #plan} and {@link #pendingChanges} of one planning of the project, as {@code sluice plan} shows them. */
    public Preview preview(RunOptions options) {
        Pipeline pipeline = pipeline(options);
        return new Preview(pipeline.steps(options), pipeline.pendingChanges(options));
    }

    /** Runs the selected models; the result says per model what happened. */
    public RunResult run(RunOptions options) {
        return run(options, RunListener.NONE);
    }

    /** Runs the selected models, telling the listener as models finish. */
    public RunResult run(RunOptions options, RunListener listener) {
        return pipeline(options).run(options, RunArguments.of(options), listener);
    }

    /** Runs the quality gates of the selected models against what is published, without rebuilding. */
    public RunResult test(RunOptions options) {
        return test(options, RunListener.NONE);
    }

    /** Runs the quality gates of the selected models against what is published, telling the listener. */
    public RunResult test(RunOptions options, RunListener listener) {
        return pipeline(options).test(options, RunArguments.of(options), listener);
    }

    /** Quality results of the last {@code runs} runs that checked anything; null model or rule means all. */
    public List<QualityCheck> qualityResults(String model, String rule, int runs) {
        names.requireModelOrSource("show the quality of", model);
        try (Engine engine = openReadOnly()) {
            return Catalogs.openExisting(project, engine).quality().qualityResults(names.catalogName(model), rule, runs).stream()
                    .map(ApiValues::check).toList();
        }
    }

    /**
     * {@link #qualityResults} and {@link #qualityMetrics} of the same model and runs, read in one opening of the
     * warehouse ({@code sluice quality}); the metrics are of the model whatever {@code rule} is.
     */
    public QualityHistory qualityHistory(String model, String rule, int runs) {
        names.requireModelOrSource("show the quality of", model);
        try (Engine engine = openReadOnly()) {
            dev.sluice.catalog.QualityStore store = Catalogs.openExisting(project, engine).quality();
            return new QualityHistory(store.qualityResults(names.catalogName(model), rule, runs).stream()
                    .map(ApiValues::check).toList(),
                    store.metrics(names.catalogName(model), runs).stream().map(ApiValues::metric).toList());
        }
    }

    /**
     * The quality results of each model or source named in the last run that checked it, read in one opening of the
     * warehouse; a name nothing checked yet is left out, and none are read before the first run.
     */
    public Map<String, List<QualityCheck>> latestQuality(java.util.Collection<String> modelsOrSources) {
        modelsOrSources.forEach(name -> names.requireModelOrSource("show the quality of", name));
        Map<String, List<QualityCheck>> latest = new java.util.LinkedHashMap<>();
        if (!Files.exists(project.warehouse())) {
            return latest;
        }
        try (Engine engine = openReadOnly()) {
            dev.sluice.catalog.QualityStore store = Catalogs.openExisting(project, engine).quality();
            for (String name : modelsOrSources) {
                List<QualityCheck> results = store.qualityResults(names.catalogName(name), null, 1).stream()
                        .map(ApiValues::check).toList();
                if (!results.isEmpty()) {
                    latest.put(name, results);
                }
            }
        }
        return latest;
    }

    /** Quality metrics of the last {@code runs} runs that measured any, oldest first; null model means all. */
    public List<QualityMetric> qualityMetrics(String model, int runs) {
        names.requireModelOrSource("show the quality of", model);
        try (Engine engine = openReadOnly()) {
            return Catalogs.openExisting(project, engine).quality().metrics(names.catalogName(model), runs).stream()
                    .map(ApiValues::metric).toList();
        }
    }

    /** Incremental state: manifests, checkpoints (of one model, or all when null) and the last detections. */
    public State state(String model) {
        names.requireModelOrSource("show the state of", model);
        try (Engine engine = openReadOnly()) {
            Catalog catalog = Catalogs.openExisting(project, engine);
            return new State(result(catalog.state().manifestSummary()),
                    result(catalog.state().checkpointRows(names.catalogName(model))),
                    result(catalog.state().recentDetections(20)));
        }
    }

    /**
     * What change detection found in run {@code runId}, a row per source: source, new_rows, changed_rows,
     * retracted_rows, watermark_from, watermark_to (the high-water marks as text; null for sources without one).
     */
    public QueryResult detections(long runId) {
        try (Engine engine = openReadOnly()) {
            return result(Catalogs.openExisting(project, engine).state().detections(runId));
        }
    }

    /** Restates a range of a windowed model's intervals (and, unless without cascade, what is downstream of it). */
    public RunResult backfill(Backfill backfill) {
        return backfill(backfill, RunListener.NONE);
    }

    /** Restates a range of a windowed model's intervals, telling the listener as models finish. */
    public RunResult backfill(Backfill backfill, RunListener listener) {
        return new Pipeline(project, VERSION).backfill(backfill, RunArguments.of(backfill), listener);
    }

    /** The windowed models' interval ranges, late rows and, from measured arrival lags, lateness advice. */
    public WindowReport windows() {
        // Only windowed models need their plan (for their upstream sources): a project without any is not planned.
        List<PlannedModel> windowed = project.models().stream().noneMatch(dev.sluice.project.Model::windowed)
                ? List.of() : planned().stream().filter(m -> m.model().windowed()).toList();
        try (Engine engine = openReadOnly()) {
            Catalog catalog = Catalogs.openExisting(project, engine);
            // asked of the catalog, which need not be in the warehouse
            if (!catalog.hasTable("intervals")) {
                throw new SluiceException(ErrorCode.USAGE, "Cannot show the windows of %s: its catalog predates time "
                        + "windows; run the pipeline once with this Sluice (sluice run %s)", root, root);
            }
            QueryResult intervals = result(catalog.windows().intervalRanges());
            QueryResult late = result(catalog.windows().lateRowSummary());
            List<LatenessAdvice> advice = new java.util.ArrayList<>();
            for (PlannedModel model : windowed) {
                dev.sluice.project.TimeWindow window = model.model().time();
                String clock = window.clock().name().toLowerCase(java.util.Locale.ROOT);
                for (String source : new java.util.TreeSet<>(model.upstreamSources())) {
                    List<ArrivalLatenessRecord> measured = catalog.windows().arrivalLateness(source,
                            window.inputColumn(), clock);
                    if (!measured.isEmpty()) {
                        advice.add(ApiValues.advice(model.name(), window, clock, source, measured));
                    }
                }
            }
            return new WindowReport(intervals, late, advice);
        }
    }

    /** Forgets a model's checkpoints, so that its next run rebuilds it from all its input; returns how many. */
    public long resetState(String model) {
        if (project.model(model).isEmpty()) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot reset the state of model '%s': the project has no such "
                    + "model%s; see sluice ls %s", model, dev.sluice.project.Names.didYouMean(model,
                            project.models().stream().map(dev.sluice.project.Model::name).toList()), root);
        }
        dev.sluice.project.Model named = project.model(model).get();
        if (named.materialized() != dev.sluice.project.Materialization.INCREMENTAL && !named.windowed()) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot reset the state of model %s (%s): it is a %s model and "
                    + "keeps no checkpoints; rebuild it with sluice run %s --select %s --full-refresh", named.name(),
                    named.relativeFile(), named.materialized().name().toLowerCase(java.util.Locale.ROOT), root,
                    named.name());
        }
        try (WarehouseLock lock = WarehouseLock.acquire(project, "state reset");
                Engine engine = Engines.openReadWrite(project)) {
            Catalog catalog = Catalogs.open(project, engine);
            lock.recordTakeover(catalog, "state reset");
            return catalog.state().resetCheckpoints(project.model(model).get().qualifiedName());
        }
    }

    /** The storage decisions of each table's latest build (or of one model), with inputs and reasons. */
    public List<StorageDecision> storageDecisions(String model) {
        return new StorageCommands(project, VERSION).decisions(model);
    }

    /**
     * Statistics of a model's table, a source or any table ({@code schema.name}) measured now: per column type,
     * distinct count, null fraction, min/max, width, sortedness, skew, time span and density.
     */
    public QueryResult statistics(String relation) {
        return result(new StorageCommands(project, VERSION).statistics(relation));
    }

    /** The layouts the optimiser would choose now for the published tables (or one), writing nothing. */
    public List<StorageDecision> proposeStorage(String model) {
        return new StorageCommands(project, VERSION).propose(model);
    }

    /**
     * Measures the published tables (or one) against CSV and DuckDB's default Parquet: bytes, a filter on the sort
     * key and a full aggregate; the figures are also kept in {@code sluice.storage_effects}.
     */
    public List<StorageEffect> measureStorage(String model) {
        return new StorageCommands(project, VERSION).measure(model);
    }

    /** Compacts lake outputs (or one) whose folders hold several small files, atomically. */
    public List<Compaction> optimizeStorage(String model) {
        return new StorageCommands(project, VERSION).optimize(model);
    }

    private static QueryResult result(Rows rows) {
        return new QueryResult(rows.columns(), rows.values());
    }

    /** The most recent runs, newest first. */
    public List<Run> runs(int limit) {
        try (Engine engine = openReadOnly()) {
            return Catalogs.openExisting(project, engine).runs().recentRuns(limit).stream().map(ApiValues::run).toList();
        }
    }

    /**
     * The most recent runs, newest first, each with its per-model outcomes ({@link #runs} and {@link #modelRuns}),
     * read in one opening of the warehouse: what {@code sluice runs} shows.
     */
    public List<RunDetails> runDetails(int limit) {
        try (Engine engine = openReadOnly()) {
            return new WarehouseReads(project, names, engine).runDetails(limit);
        }
    }

    /** The schedules of sluice.yml's {@code schedules:}, in file order. */
    public List<Schedule> schedules() {
        return project.schedules().stream().map(ApiValues::schedule).toList();
    }

    /**
     * What the schedules did at their latest {@code limit} due times (of one schedule, or of all when {@code
     * schedule} is null), newest first; empty before the first run.
     */
    public List<ScheduleRun> scheduleRuns(String schedule, int limit) {
        return new ScheduleRecords(project, root).read(catalog -> catalog.schedules().recent(schedule, limit));
    }

    /** Each schedule's latest recorded due time and what it did then, by schedule name; empty before the first run. */
    public List<ScheduleRun> lastScheduleRuns() {
        return new ScheduleRecords(project, root).read(catalog -> catalog.schedules().latest());
    }

    /**
     * Records due times at which a schedule started no run (skipped, missed or failed to start; a started run is
     * recorded by {@link #run} from {@link RunOptions#scheduled()}). Takes the warehouse lock for the time it writes.
     *
     * @throws SluiceException WAREHOUSE_LOCKED when another run holds the warehouse; record them again later
     */
    public void recordScheduleRuns(List<ScheduleRun> runs) {
        new ScheduleRecords(project, root).write(runs);
    }

    /** Per-model outcomes of one run. */
    public List<ModelRun> modelRuns(long runId) {
        try (Engine engine = openReadOnly()) {
            return Catalogs.openExisting(project, engine).runs().modelRuns(runId).stream().map(ApiValues::modelRun).toList();
        }
    }

    /**
     * Runs one read statement against the warehouse and its catalog (schema {@code sluice}): the warehouse is opened
     * read-only, with files readable only inside the project folder and its allowed_paths and settings locked, and
     * anything but one query (see {@link UserQuery}) is refused with {@link ErrorCode#USAGE} before it runs.
     * Masked columns ({@code mask:} in the project, carried along lineage) read through their masks.
     */
    public QueryResult query(String sql) {
        return query(sql, Access.MASKED);
    }

    /**
     * As {@link #query(String)}: with {@link Access#MASKED}, masked columns ({@code mask:}) read through their masks
     * wherever the statement reads them; with {@link Access#UNMASKED}, in clear.
     */
    public QueryResult query(String sql, Access access) {
        try (Engine engine = openReadOnly(true); Session session = engine.session()) {
            // A damaged or newer catalog is refused here as on every open, before the query meets it.
            ColumnMasks masks = masks(engine, access);
            Rows rows = UserQuery.run(session, sql, masks);
            return new QueryResult(rows.columns(), rows.values());
        } catch (SluiceException e) {
            // A files source read in place whose files are gone: name it (inplace, issue 16).
            throw dev.sluice.connect.InPlaceFiles.explain(project, e);
        }
    }

    /** The warehouse's masked columns, as readers without the right to see them in clear see them. */
    public ColumnMasks columnMasks() {
        try (Engine engine = openReadOnly()) {
            return WarehouseMasks.of(project, engine);
        }
    }

    private ColumnMasks masks(Engine engine, Access access) {
        return switch (access) {
            case MASKED -> WarehouseMasks.of(project, engine);
            case UNMASKED -> {
                Catalogs.openIfPresent(project, engine);
                yield ColumnMasks.NONE;
            }
        };
    }

    /**
     * As {@link #query}, but the rows are read as the warehouse produces them instead of all at once: for results too
     * large to hold. The warehouse stays open (read-only) until the stream is closed.
     */
    public QueryStream stream(String sql) {
        return stream(sql, List.of(), Access.MASKED);
    }

    /** As {@link #stream(String)}, showing masked columns as {@code access} says (see {@link #query(String, Access)}). */
    public QueryStream stream(String sql, Access access) {
        return stream(sql, List.of(), access);
    }

    /**
     * As {@link #stream(String)}, with {@code parameters} (plain Java values: numbers, text, booleans,
     * {@code LocalDate}, {@code LocalDateTime}, null) bound to the statement's {@code ?} in order.
     */
    public QueryStream stream(String sql, List<Object> parameters) {
        return stream(sql, parameters, Access.MASKED);
    }

    /** As {@link #stream(String, List)}, showing masked columns as {@code access} says. */
    public QueryStream stream(String sql, List<Object> parameters, Access access) {
        Engine engine = openReadOnly(true);
        Session session = null;
        try {
            session = engine.session();
            ColumnMasks masks = masks(engine, access);
            return new QueryStream(UserQuery.stream(session, sql, masks, parameters.toArray()), session, engine);
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            engine.close();
            throw e instanceof SluiceException failure ? dev.sluice.connect.InPlaceFiles.explain(project, failure) : e;
        }
    }

    private Engine openReadOnly() {
        return openReadOnly(false);
    }

    /** The warehouse read-only, confined to the project's folders; {@code forQueries} also locks its settings. */
    private Engine openReadOnly(boolean forQueries) {
        return ReadOnlyWarehouse.open(project, root, forQueries);
    }

    private Pipeline pipeline(RunOptions options) {
        Project effective = options.vars().isEmpty() ? project : ProjectReader.read(root, options.vars());
        return new Pipeline(effective, VERSION);
    }


}
