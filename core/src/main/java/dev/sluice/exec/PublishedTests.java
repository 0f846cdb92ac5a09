package dev.sluice.exec;

import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.RunListener;
import dev.sluice.RunResult;
import dev.sluice.SourceResult;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.plan.PlannedModel;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code test} command's work inside its run: the quality gates of the selected models (and of the sources they
 * read) checked against what is published, without rebuilding anything; results and metrics go to the catalog.
 */
final class PublishedTests {
    private final Project project;
    private final GateRunner gates;
    private final QualityRules quality;

    PublishedTests(Project project, GateRunner gates, QualityRules quality) {
        this.project = project;
        this.gates = gates;
        this.quality = quality;
    }

    /** Tests the sources {@code chosen} read and the {@code selected} models (those of them with rules). */
    RunResult run(Engine engine, long runId, ProjectPlan plan, List<PlannedModel> chosen, List<PlannedModel> selected,
            RunListener listener, long start) {
        List<SourceResult> sources = new ArrayList<>();
        // The sources every selected model reads, whether or not the model has rules of its own (a run loads
        // only those, so a source no model reads is never tested).
        Set<String> read = new TreeSet<>();
        chosen.forEach(model -> read.addAll(Dependencies.sources(plan, model)));
        for (Source source : project.sources()) {
            if (read.contains(source.qualifiedName()) && !quality.of(source.qualifiedName()).isEmpty()) {
                sources.add(testSource(engine, source));
            }
        }
        List<ModelResult> models = new ArrayList<>();
        for (PlannedModel model : selected) {
            ModelResult result = testModel(engine, model);
            models.add(result);
            listener.modelFinished(result, models.size(), selected.size());
        }
        return new RunResult(runId, sources, models, Duration.ofNanos(System.nanoTime() - start));
    }

    private SourceResult testSource(Engine engine, Source source) {
        long start = System.nanoTime();
        if (engine.relationKind(source.schema(), source.table()) == Engine.RelationKind.NONE) {
            return new SourceResult(source.qualifiedName(), false, 0, 0, Duration.ofNanos(System.nanoTime() - start),
                    "Cannot test source " + source.qualifiedName() + ": it has not been loaded yet; run the pipeline "
                            + "first", List.of());
        }
        try (Session session = engine.session()) {
            GateRunner.Checked checked = gates.check(session, source.qualifiedName(),
                    quality.of(source.qualifiedName()), Sql.qualified(source.schema(), source.table()));
            gates.record(session, checked, true);
            return new SourceResult(source.qualifiedName(), checked.passed(), checked.outcome().rows(), 0,
                    Duration.ofNanos(System.nanoTime() - start), checked.passed() ? null : project.redact(
                            "Source " + source.qualifiedName() + " fails its gate: " + checked.failure()),
                    checked.results());
        }
    }

    private ModelResult testModel(Engine engine, PlannedModel planned) {
        long start = System.nanoTime();
        dev.sluice.project.Model model = planned.model();
        String materialized = model.materialized().name().toLowerCase(Locale.ROOT);
        String reason = "tested against the published " + materialized;
        if (engine.relationKind(model.schema(), model.name()) == Engine.RelationKind.NONE) {
            return new ModelResult(model.name(), model.qualifiedName(), materialized, ModelStatus.FAILED, null,
                    Duration.ofNanos(System.nanoTime() - start), reason, "Cannot test model " + model.name() + " ("
                    + model.relativeFile() + "): it has never been built; run it first", List.of());
        }
        try (Session session = engine.session()) {
            GateRunner.Checked checked = gates.check(session, model, quality.of(model.name()),
                    Sql.qualified(model.schema(), model.name()));
            gates.record(session, checked, true);
            return new ModelResult(model.name(), model.qualifiedName(), materialized,
                    checked.passed() ? ModelStatus.SUCCESS : ModelStatus.FAILED, checked.outcome().rows(),
                    Duration.ofNanos(System.nanoTime() - start), reason, checked.passed() ? null : project.redact(
                            "Model " + model.name() + " (" + model.relativeFile() + ") fails its gate: "
                                    + checked.failure()), checked.results());
        }
    }
}
