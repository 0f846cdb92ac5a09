package dev.sluice;

import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.Catalogs;
import dev.sluice.catalog.QualityResultRecord;
import dev.sluice.catalog.RunStore;
import dev.sluice.engine.Engine;
import dev.sluice.exec.Pipeline;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Project;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads of {@link Sluice} that need several answers from the warehouse, made over one read-only opening of it
 * ({@code engine}, which the caller opens and closes): each opening costs a DuckDB connection and a catalog check,
 * more than a small project's queries.
 */
final class WarehouseReads {
    private final Project project;
    private final ProjectNames names;
    private final Engine engine;

    WarehouseReads(Project project, ProjectNames names, Engine engine) {
        this.project = project;
        this.names = names;
        this.engine = engine;
    }

    /** The models planned for reading and the latest quality results by model or source name. */
    record Planned(List<PlannedModel> models, Map<String, List<QualityCheck>> latestQuality) {
    }

    /**
     * {@code pipeline}'s plan for reading (the plan cache and the tracked sources' columns read from this warehouse),
     * and the quality results of each model and source in the last run that checked it, in one query. The caller
     * keeps what was planned ({@link Pipeline#keepPending()}) once it closed the warehouse.
     */
    Planned planWithQuality(Pipeline pipeline) {
        Catalog catalog = Catalogs.openExisting(project, engine);
        List<PlannedModel> models = StartupPhases.within("plan", () -> pipeline.planReading(engine, catalog).models());
        Map<String, List<QualityCheck>> latest = new LinkedHashMap<>();
        for (QualityResultRecord result : catalog.quality().lastQualityResults()) {
            latest.computeIfAbsent(names.userName(result.model()), k -> new ArrayList<>()).add(ApiValues.check(result));
        }
        return new Planned(models, latest);
    }

    /** The most recent runs, newest first, each with its models' outcomes. */
    List<RunDetails> runDetails(int limit) {
        RunStore store = Catalogs.openExisting(project, engine).runs();
        return store.recentRuns(limit).stream().map(run -> new RunDetails(ApiValues.run(run),
                store.modelRuns(run.runId()).stream().map(ApiValues::modelRun).toList())).toList();
    }
}
