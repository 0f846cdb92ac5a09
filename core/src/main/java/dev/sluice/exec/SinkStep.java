package dev.sluice.exec;

import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.catalog.Catalog;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Sql;
import dev.sluice.project.ColumnMasks;
import dev.sluice.project.Model;
import dev.sluice.sink.SinkWriter;
import java.util.function.UnaryOperator;

/**
 * The committer's step after a model's publish that writes it to its sink ({@code sink:}); also the catch-up of a
 * model found up to date whose sink is behind. A failed write fails the model's result (the warehouse keeps what
 * was published: its {@code model_runs} row stays a success, with the sink's error as its warning).
 */
final class SinkStep {
    /** The suffix of the table keeping a folded increment for the sink, in the model's schema. */
    static final String INCREMENT_SUFFIX = "__sluice_sink_increment";

    private final Engine engine;
    private final Catalog catalog;
    private final long runId;
    private final UnaryOperator<String> redact;
    private final ColumnMasks masks;

    SinkStep(Engine engine, Catalog catalog, long runId, UnaryOperator<String> redact, ColumnMasks masks) {
        this.masks = masks;
        this.engine = engine;
        this.catalog = catalog;
        this.runId = runId;
        this.redact = redact;
    }

    /**
     * Plan-time checks of the models' sinks against their planned columns: a merge key must name columns the model
     * outputs. Each problem is located at the model's sink.
     */
    static java.util.List<String> problems(dev.sluice.plan.ProjectPlan plan) {
        java.util.List<String> problems = new java.util.ArrayList<>();
        for (dev.sluice.plan.PlannedModel planned : plan.models()) {
            Model model = planned.model();
            if (model.sink() == null) {
                continue;
            }
            java.util.List<String> columns = planned.columns().stream().map(c -> c.name()).toList();
            for (String key : model.sink().key()) {
                if (columns.stream().noneMatch(column -> column.equalsIgnoreCase(key))) {
                    problems.add(String.format("%s: Cannot plan model %s's sink: key column '%s' is not one of its "
                            + "columns (%s); fix key in its sink (or the incremental unique_key it defaults to)",
                            model.sink().location(), model.name(), key, String.join(", ", columns)));
                }
            }
        }
        return problems;
    }

    /** The table keeping the keys of a model's last folded increment until its sink has merged them. */
    static String increment(Model model) {
        return Sql.qualified(model.schema(), model.name() + INCREMENT_SUFFIX);
    }

    /** After a publish of this run: the increment ({@code increment}, or null) or the whole relation is written. */
    ModelResult afterPublish(Model model, ModelResult result, String increment) {
        if (model.sink() == null || !result.status().ok()) {
            return result;
        }
        return outcome(model, result, writer(model).write(new SinkWriter.Request(model, runId, runId, increment,
                false)));
    }

    /** For a model found up to date: its sink is written whole when it does not hold the model's last build. */
    ModelResult catchUp(Model model, ModelResult result) {
        if (model.sink() == null) {
            return result;
        }
        long build;
        try {
            build = catalog.runs().lastBuild(model.qualifiedName()).orElse(runId);
        } catch (RuntimeException e) {
            build = runId;
        }
        return outcome(model, result, writer(model).write(new SinkWriter.Request(model, runId, build, null, true)));
    }

    private SinkWriter writer(Model model) {
        return new SinkWriter(engine, catalog, redact, point -> FaultPoints.reach(point, model.name(), null),
                masks);
    }

    private ModelResult outcome(Model model, ModelResult result, SinkWriter.Outcome outcome) {
        return switch (outcome.status()) {
            case CURRENT, WRITTEN -> result;
            case FAILED -> {
                try {
                    catalog.runs().recordModelWarning(runId, model.qualifiedName(), outcome.error());
                } catch (RuntimeException unrecorded) {
                    // the failure is in sluice.sink_writes and on the result
                }
                yield new ModelResult(result.model(), result.relation(), result.materialized(), ModelStatus.FAILED,
                        null, result.duration(), result.reason(), outcome.error(), result.quality(), result.warning(),
                        result.lateRows(), result.nothingRestated());
            }
        };
    }
}
