package dev.sluice.exec;

import dev.sluice.plan.PlannedModel;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Materialization;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/** What a model really reads once ephemeral models are inlined: the built models and sources behind them. */
final class Dependencies {
    private Dependencies() {
    }

    /** Names of the non-ephemeral models a model reads, looking through ephemeral ones. */
    static Set<String> models(ProjectPlan plan, PlannedModel model) {
        Set<String> models = new TreeSet<>();
        walk(plan, model, models, null);
        return models;
    }

    /** Qualified names of the sources a model reads, directly or through ephemeral models. */
    static Set<String> sources(ProjectPlan plan, PlannedModel model) {
        Set<String> sources = new TreeSet<>();
        walk(plan, model, null, sources);
        return sources;
    }

    private static void walk(ProjectPlan plan, PlannedModel start, Set<String> models, Set<String> sources) {
        Deque<PlannedModel> pending = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        pending.push(start);
        while (!pending.isEmpty()) {
            PlannedModel model = pending.pop();
            if (sources != null) {
                sources.addAll(model.upstreamSources());
            }
            for (String name : model.upstreamModels()) {
                PlannedModel upstream = plan.model(name).orElseThrow();
                if (upstream.model().materialized() == Materialization.EPHEMERAL) {
                    if (seen.add(upstream.name())) {
                        pending.push(upstream);
                    }
                } else if (models != null) {
                    models.add(upstream.name());
                }
            }
        }
    }
}
