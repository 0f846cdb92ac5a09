package dev.sluice.exec;

import dev.sluice.Compaction;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.StorageDecision;
import dev.sluice.StorageEffect;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.Catalogs;
import dev.sluice.engine.Engines;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Materialization;
import dev.sluice.project.Model;
import dev.sluice.project.Project;
import dev.sluice.project.StorageSpec;
import dev.sluice.storage.Compactor;
import dev.sluice.storage.FreeSpace;
import dev.sluice.storage.LakeWriter;
import dev.sluice.storage.StatisticsCollector;
import dev.sluice.storage.StorageOptimizer;
import dev.sluice.storage.StorageReports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The storage commands over a loaded project: the recorded decisions, a dry run proposing layouts for what is
 * published, measurements against baselines, and compaction of lake outputs. This class opens the warehouse, takes
 * the lock and records the runs; what is measured and rewritten is decided in package storage ({@link Compactor},
 * {@link StorageReports}). Thread-safe: it holds the immutable project only.
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
            return StorageReports.decisions(Catalogs.openExisting(project, engine).storage().latestDecisions(relation));
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
            return StorageReports.statistics(StatisticsCollector.collect(session, schema, name));
        }
    }

    /** Layouts the optimiser would choose for the published tables now, from their statistics; writes nothing. */
    public List<StorageDecision> propose(String model) {
        ProjectPlan plan = new Pipeline(project, sluiceVersion).plan();
        StorageOptimizer optimizer = optimizer(plan, null);
        List<StorageDecision> proposals = new ArrayList<>();
        try (Engine engine = openReadOnly(); Session session = engine.session()) {
            for (Model stored : built(engine, model)) {
                proposals.addAll(StorageReports.proposals(stored, StorageReports.layout(session, optimizer, stored)));
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
        try (WarehouseLock lock = WarehouseLock.acquire(project, "storage");
                Engine engine = Engines.openReadWrite(project);
                Session session = engine.session()) {
            Catalog catalog = Catalogs.open(project, engine);
            lock.recordTakeover(catalog, "storage");
            StorageOptimizer optimizer = optimizer(plan, catalog);
            for (Model stored : built(engine, model)) {
                effects.addAll(StorageReports.measure(session, catalog, optimizer, stored));
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
        try (WarehouseLock lock = WarehouseLock.acquire(project, "optimize");
                Engine engine = Engines.openReadWrite(project);
                Session session = engine.session()) {
            Catalog catalog = Catalogs.open(project, engine);
            lock.recordTakeover(catalog, "optimize");
            StorageOptimizer optimizer = optimizer(plan, catalog);
            Compactor compactor = new Compactor(optimizer, project.defaults().targetFileSize());
            for (Model stored : built(engine, model)) {
                if (stored.storage().effectiveFormat() == StorageSpec.Format.ICEBERG) {
                    results.add(IcebergCompaction.compact(session, catalog, optimizer, stored, engine.version(),
                            sluiceVersion, project.defaults().targetFileSize()));
                    continue;
                }
                if (stored.storage().effectiveFormat() != StorageSpec.Format.PARQUET) {
                    continue;
                }
                Compactor.Survey survey = compactor.survey(session, stored);
                if (!survey.needed()) {
                    results.add(new Compaction(stored.qualifiedName(), false, survey.files(), survey.files(),
                            survey.bytes(), survey.bytes(), survey.unneeded()));
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
                    // the compacted files are written, the version pointer not yet moved: a kill here keeps the old
                    compactor.rewrite(session, stored, runId, version,
                            () -> FaultPoints.reach(FaultPoints.COMPACTION, stored.name(), session));
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
                String reason = survey.rewritten(runId);
                // Best effort: the compacted version is committed and complete whatever happens here.
                try {
                    FaultPoints.reach(FaultPoints.AFTER_COMMIT, stored.name(), session);
                    optimizer.afterPublish(session, stored, version, runId);
                } catch (RuntimeException e) {
                    reason += "; cleaning up older versions failed (" + e.getMessage() + "), the next build retries";
                }
                catalog.runs().finishRun(runId, "success");
                results.add(new Compaction(stored.qualifiedName(), true, survey.files(), Compactor.files(version,
                        stored), survey.bytes(), LakeWriter.bytes(version), reason));
            }
        }
        return results;
    }

    private StorageOptimizer optimizer(ProjectPlan plan, Catalog catalog) {
        return new StorageOptimizer(catalog, FreeSpace.FILE_STORE, StorageOptimizer.filterUses(plan.models()),
                project.defaults().targetFileSize(), project.root(), project.s3());
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
            Catalogs.openIfPresent(project, engine);
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
