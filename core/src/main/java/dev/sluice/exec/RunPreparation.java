package dev.sluice.exec;

import dev.sluice.RunListener;
import dev.sluice.SourceResult;
import dev.sluice.catalog.Catalog;
import dev.sluice.connect.LoadContext;
import dev.sluice.connect.SourceConnectors;
import dev.sluice.connect.StoredPaths;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.plan.PlannedModel;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What a run does before it builds models: the schemas created, and the sources the models read loaded. */
final class RunPreparation {
    private RunPreparation() {
    }

    /**
     * Loads the sources the selected models read, each through its connector, telling the listener; {@code listings}
     * are the files planning listed under this run's lock (see {@link dev.sluice.connect.ManifestListing}).
     */
    static Map<String, SourceResult> loadSources(Project project, Engine engine, Catalog catalog, long runId,
            QualityRules quality, ProjectPlan plan, List<PlannedModel> selected, Map<String, Set<String>> sourcesOf,
            RunListener listener, Map<String, dev.sluice.connect.ManifestListing> listings) {
        Set<String> needed = new TreeSet<>();
        sourcesOf.values().forEach(needed::addAll);
        LoadContext context = new LoadContext(engine, catalog, runId, project::redact,
                new StoredPaths(project.root(), project::redact), new SourceGateRunner(new GateRunner(catalog, runId,
                        dev.sluice.project.ColumnMasks.declared(project))), FullReads.of(plan, selected, quality), listings);
        Map<String, SourceResult> results = new LinkedHashMap<>();
        for (Source source : project.sources()) {
            if (needed.contains(source.qualifiedName())) {
                List<dev.sluice.quality.Rule> rules = quality.of(source.qualifiedName());
                SourceResult result = SourceConnectors.of(source).load(source, rules, context);
                results.put(source.qualifiedName(), result);
                listener.sourceLoaded(result);
            }
        }
        return results;
    }

    /** Creates the schemas the selected models and the sources they read are published in. */
    static void createSchemas(Project project, Engine engine, List<PlannedModel> selected,
            Map<String, Set<String>> sourcesOf) {
        Set<String> schemas = new LinkedHashSet<>();
        selected.forEach(model -> schemas.add(model.model().schema()));
        for (Source source : project.sources()) {
            if (sourcesOf.values().stream().anyMatch(s -> s.contains(source.qualifiedName()))) {
                schemas.add(source.schema());
            }
        }
        // Created up front, one by one: concurrent transactions creating one schema would conflict.
        try (Session session = engine.session()) {
            for (String schema : schemas) {
                session.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(schema));
            }
        }
    }
}
