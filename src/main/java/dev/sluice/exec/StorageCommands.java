package dev.sluice.exec;

import dev.sluice.Compaction;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.StorageDecision;
import dev.sluice.StorageEffect;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.StorageStore;
import dev.sluice.engine.Engines;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Materialization;
import dev.sluice.project.Model;
import dev.sluice.project.Project;
import dev.sluice.project.StorageSpec;
import dev.sluice.storage.Decision;
import dev.sluice.storage.FreeSpace;
import dev.sluice.storage.LakeWriter;
import dev.sluice.storage.Layout;
import dev.sluice.storage.LayoutRules;
import dev.sluice.storage.Measurement;
import dev.sluice.storage.StatisticsCollector;
import dev.sluice.storage.StorageOptimizer;
import dev.sluice.storage.TableStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The storage commands over a loaded project: the recorded decisions, a dry run proposing layouts for what is
 * published, measurements against baselines, and compaction of lake outputs. Thread-safe: it holds the immutable
 * project only.
 */
public final class StorageCommands {
    private final Project project;
    private final String sluiceVersion;

    public StorageCommands(Project project, String sluiceVersion) {
        this.project = project;
        this.sluiceVersion = sluiceVersion;
    }

    /** The decisions of each model's latest build that recorded any (or of one model). */
    public List<StorageDecision> decisions(String model) {
        String relation = model == null ? null : stored(model).qualifiedName();
        try (Engine engine = openReadOnly()) {
            Rows rows = Catalog.openExisting(engine).storage().latestDecisions(relation);
            return rows.values().stream().map(row -> new StorageDecision((String) row.get(0),
                    ((Number) row.get(1)).longValue(), (String) row.get(2), (String) row.get(3), (Boolean) row.get(4),
                    (String) row.get(5), (String) row.get(6))).toList();
        }
    }

    /**
     * Statistics of any relation of the warehouse, measured now: a model by name, or a source or table as
     * {@code schema.name}. One row per column: type, distinct count, null fraction, min, max, width, sortedness,
     * skew, and for time columns span and density.
     */
    public Rows statistics(String relation) {
        Model model = project.model(relation).orElse(null);
        String schema = model != null ? model.schema() : relation.contains(".")
                ? relation.substring(0, relation.indexOf('.')) : project.defaults().schema();
        String name = model != null ? model.name() : relation.substring(relation.indexOf('.') + 1);
        try (Engine engine = openReadOnly(); Session session = engine.session()) {
            if (engine.relationKind(schema, name) == Engine.RelationKind.NONE) {
                throw new SluiceException(ErrorCode.USAGE, "Cannot measure '%s': the warehouse has no such table, "
                        + "view or source; name a model, or a table as schema.name (see sluice ls %s)", relation,
                        project.root());
            }
            TableStats stats = StatisticsCollector.collect(session, schema, name);
            List<List<Object>> rows = new ArrayList<>();
            for (dev.sluice.storage.ColumnStats c : stats.columns()) {
                rows.add(java.util.Arrays.asList(c.name(), c.type(), stats.rows(), c.distinct(), c.nullFraction(),
                        c.min(), c.max(), c.averageWidth(), c.sortedness(), c.topShare(),
                        c.temporal() ? c.spanDays() : null, c.temporal() ? c.distinctDays() : null));
            }
            return new Rows(List.of("column", "type", "rows", "distinct", "null_fraction", "min", "max",
                    "average_width", "sortedness", "top_share", "span_days", "distinct_days"), rows);
        }
    }

    /** Layouts the optimiser would choose for the published tables now, from their statistics; writes nothing. */
    public List<StorageDecision> propose(String model) {
        ProjectPlan plan = new Pipeline(project, sluiceVersion).plan();
        StorageOptimizer optimizer = optimizer(plan, null);
        List<StorageDecision> proposals = new ArrayList<>();
        try (Engine engine = openReadOnly(); Session session = engine.session()) {
            for (Model stored : built(engine, model)) {
                Layout layout = decide(session, optimizer, stored);
                for (Decision decision : layout.decisions()) {
                    proposals.add(new StorageDecision(stored.qualifiedName(), null,
                            decision.aspect().name().toLowerCase(Locale.ROOT), decision.choice(), decision.pinned(),
                            StorageOptimizer.json(decision.inputs()), decision.reason()));
                }
            }
        }
        return proposals;
    }

    /**
     * Measures each built table (or one) against CSV and DuckDB's default Parquet: bytes, a filter on the sort key
     * and a full aggregate; records the figures in {@code sluice.storage_effects} with the model's last build.
     */
    public List<StorageEffect> measure(String model) {
        requireWarehouse();
        ProjectPlan plan = new Pipeline(project, sluiceVersion).plan();
        List<StorageEffect> effects = new ArrayList<>();
        try (WarehouseLock lock = WarehouseLock.acquire(project.warehouse());
                Engine engine = Engines.openReadWrite(project);
                Session session = engine.session()) {
            Catalog catalog = Catalog.open(engine);
            lock.recordTakeover(catalog, "storage");
            StorageOptimizer optimizer = optimizer(plan, catalog);
            for (Model stored : built(engine, model)) {
                Layout layout = decide(session, optimizer, stored);
                List<Measurement.Effect> measured = optimizer.effects(session, stored, layout);
                Optional<Long> lastRun = catalog.storage().lastDecisionRun(session, stored.qualifiedName());
                if (lastRun.isPresent()) {
                    catalog.storage().recordStorage(session, StorageStore.StorageTable.STORAGE_EFFECTS, Measurement.rows(
                            lastRun.get(), stored.qualifiedName(), measured));
                }
                measured.forEach(effect -> effects.add(new StorageEffect(stored.qualifiedName(), effect.layout(),
                        effect.bytes(), effect.filterMs(), effect.aggregateMs())));
            }
        }
        return effects;
    }

    /**
     * Compacts lake outputs: a model whose current version holds, in one folder, several files below half the
     * target file size is rewritten into target-sized files in its layout (re-sorted), atomically.
     */
    public List<Compaction> optimize(String model) {
        requireWarehouse();
        ProjectPlan plan = new Pipeline(project, sluiceVersion).plan();
        List<Compaction> results = new ArrayList<>();
        long half = project.defaults().targetFileSize() / 2;
        try (WarehouseLock lock = WarehouseLock.acquire(project.warehouse());
                Engine engine = Engines.openReadWrite(project);
                Session session = engine.session()) {
            Catalog catalog = Catalog.open(engine);
            lock.recordTakeover(catalog, "optimize");
            StorageOptimizer optimizer = optimizer(plan, catalog);
            for (Model stored : built(engine, model)) {
                if (stored.storage().effectiveFormat() != StorageSpec.Format.PARQUET) {
                    continue;
                }
                Path current = currentVersion(session, optimizer, stored);
                Map<Path, List<Long>> sizes = sizes(current, stored);
                int files = sizes.values().stream().mapToInt(List::size).sum();
                long bytes = sizes.values().stream().flatMap(List::stream).mapToLong(Long::longValue).sum();
                long crowded = sizes.values().stream().filter(s -> s.stream().filter(size -> size < half).count() > 1)
                        .count();
                String advice = optimizer.pinAdvice(session, stored, sizes, half);
                if (crowded == 0) {
                    results.add(new Compaction(stored.qualifiedName(), false, files, files, bytes, bytes,
                            String.format(Locale.ROOT, "%d file(s) in %d folder(s); no folder holds more than one file "
                                    + "below half the target size", files, sizes.size()) + advice));
                    continue;
                }
                long runId = catalog.runs().startRun("optimize", stored.name(), engine.version(), sluiceVersion,
                        WarehouseLock.host(), ProcessHandle.current().pid());
                Path version;
                try {
                    version = optimizer.versions().claim(stored, runId);
                } catch (RuntimeException e) {
                    catalog.runs().finishRun(runId, "failed");
                    throw e;
                }
                session.begin();
                try {
                    TableStats stats = StatisticsCollector.collect(session, stored.schema(), stored.name());
                    Layout layout = LayoutRules.decide(stats, stored.storage(), optimizer.context(stored));
                    optimizer.record(session, stored.qualifiedName(), runId, stats, layout);
                    optimizer.writeLake(session, stored, stored.name(), layout, version);
                    // the compacted files are written, the version pointer not yet moved: a kill here keeps the old
                    FaultPoints.reach(FaultPoints.COMPACTION, stored.name(), session);
                    optimizer.versions().publish(session, stored, runId);
                    session.commit();
                } catch (RuntimeException e) {
                    session.rollback();
                    try {
                        optimizer.versions().abandon(stored, runId, version);
                    } catch (RuntimeException cleanup) {
                        // the claim stays recorded; the next publish deletes the folder
                        e.addSuppressed(cleanup);
                    }
                    catalog.runs().finishRun(runId, "failed");
                    throw e;
                }
                String reason = String.format(Locale.ROOT, "%d folder(s) held several files below half the target "
                        + "size; rewritten in run %d", crowded, runId) + advice;
                // Best effort: the compacted version is committed and complete whatever happens here.
                try {
                    FaultPoints.reach(FaultPoints.AFTER_COMMIT, stored.name(), session);
                    optimizer.afterPublish(session, stored, version, runId);
                } catch (RuntimeException e) {
                    reason += "; cleaning up older versions failed (" + e.getMessage() + "), the next build retries";
                }
                catalog.runs().finishRun(runId, "success");
                Map<Path, List<Long>> after = sizes(version, stored);
                results.add(new Compaction(stored.qualifiedName(), true, files, after.values().stream()
                        .mapToInt(List::size).sum(), bytes, LakeWriter.bytes(version), reason));
            }
        }
        return results;
    }

    private Layout decide(Session session, StorageOptimizer optimizer, Model model) {
        TableStats stats = StatisticsCollector.collect(session, model.schema(), model.name());
        return LayoutRules.decide(stats, model.storage(), optimizer.context(model));
    }

    private StorageOptimizer optimizer(ProjectPlan plan, Catalog catalog) {
        return new StorageOptimizer(catalog, FreeSpace.FILE_STORE, StorageOptimizer.filterUses(plan.models()),
                project.defaults().targetFileSize(), project.root());
    }

    /** The version folder the view of a lake model reads, as the catalog records it. */
    private static Path currentVersion(Session session, StorageOptimizer optimizer, Model model) {
        Path version = optimizer.versions().current(session, model);
        if (version == null) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot optimize model %s (%s): the catalog records no lake "
                    + "version of it; run the pipeline first (a build of an older Sluice is recorded by the next "
                    + "full build: sluice run DIR --select %s --full-refresh)", model.name(), model.relativeFile(),
                    model.name());
        }
        return version;
    }

    /** Sizes of the Parquet files of a version, by folder. */
    private static Map<Path, List<Long>> sizes(Path version, Model model) {
        Map<Path, List<Long>> sizes = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(version)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).sorted().toList()) {
                sizes.computeIfAbsent(file.getParent(), p -> new ArrayList<>()).add(Files.size(file));
            }
        } catch (IOException | UncheckedIOException e) {
            // A lake folder removed or made unreadable by hand: the catalog names a version the disk no longer has.
            IOException cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e;
            throw new SluiceException(ErrorCode.WAREHOUSE_DAMAGED, cause, "Cannot read the lake version of model %s "
                    + "(%s): %s; rebuild it with sluice run DIR --select %s --full-refresh", model.name(),
                    version, dev.sluice.project.IoFailures.describe(cause), model.name());
        }
        return sizes;
    }

    /** The enabled table and incremental models (or the one named) that have been built, by name. */
    private List<Model> built(Engine engine, String name) {
        List<Model> models = new ArrayList<>();
        if (name != null) {
            Model model = stored(name);
            if (engine.relationKind(model.schema(), model.name()) == Engine.RelationKind.NONE) {
                throw new SluiceException(ErrorCode.USAGE, "Cannot show the storage of model %s (%s): it has never "
                        + "been built; run it first (sluice run %s --select %s)", model.name(), model.relativeFile(),
                        project.root(), model.name());
            }
            return List.of(model);
        }
        for (Model model : project.models()) {
            if (model.enabled() && stores(model) && engine.relationKind(model.schema(), model.name()) != Engine.RelationKind.NONE) {
                models.add(model);
            }
        }
        return models;
    }

    private Model stored(String name) {
        Model model = project.model(name).orElseThrow(() -> new SluiceException(ErrorCode.USAGE, "Cannot show the "
                + "storage of model '%s': the project has no such model; see sluice ls %s", name, project.root()));
        if (!stores(model)) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot show the storage of model %s (%s): it is materialized as "
                    + "%s and stores nothing; storage applies to table and incremental models", model.name(),
                    model.relativeFile(), model.materialized().name().toLowerCase(Locale.ROOT));
        }
        return model;
    }

    private static boolean stores(Model model) {
        return model.materialized() == Materialization.TABLE || model.materialized() == Materialization.INCREMENTAL;
    }

    private Engine openReadOnly() {
        requireWarehouse();
        Engine engine = Engines.openReadOnly(project);
        try {
            // Statistics and proposals read no catalog table, but a damaged or newer catalog is refused on every open.
            Catalog.openIfPresent(engine);
            return engine;
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** Measuring and compacting read what runs built: without a warehouse there is nothing, and none is created. */
    private void requireWarehouse() {
        if (!Files.exists(project.warehouse())) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot read warehouse %s: it does not exist yet; run the "
                    + "pipeline first (sluice run %s)", project.warehouse(), project.root());
        }
    }
}
