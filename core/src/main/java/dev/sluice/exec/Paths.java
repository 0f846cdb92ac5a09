package dev.sluice.exec;

import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.plan.PlannedModel;
import dev.sluice.quality.Condition;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Conditional paths: a model with {@code when:} runs only when its condition over upstream quality holds, and the
 * model it names {@code otherwise:} runs only when it does not. Every decision is kept with its explanation, which
 * goes into the models' run records. Thread-safe.
 */
final class Paths {
    private final QualityRules quality;
    private final ModelBuilder builder;
    /** Model with a condition → the explanation of its evaluation, once decided. */
    private final Map<String, Condition.Evaluation> decisions = new ConcurrentHashMap<>();

    Paths(QualityRules quality, ModelBuilder builder) {
        this.quality = quality;
        this.builder = builder;
    }

    /**
     * For each model, the models that must finish before it: what its condition reads, the model it replaces, and the
     * models its relationships rules check against.
     */
    Map<String, Set<String>> orderings(List<PlannedModel> selected) {
        Map<String, Set<String>> after = new HashMap<>();
        for (PlannedModel model : selected) {
            Set<String> first = new LinkedHashSet<>();
            quality.condition(model.name()).ifPresent(condition -> first.addAll(condition.models()));
            // A relationships rule reads its target model: build that first when it runs too.
            first.addAll(quality.modelsRead(model.name()));
            quality.replaces(model.name()).ifPresent(first::add);
            after.put(model.name(), first);
        }
        return after;
    }

    /**
     * The result of a model that must not be built on this path (skipped, or failed when its condition cannot be
     * evaluated); empty when it is to be built.
     */
    Optional<ModelResult> decide(PlannedModel model, String reason) {
        Optional<Condition> condition = quality.condition(model.name());
        if (condition.isPresent()) {
            Condition.Evaluation evaluation;
            try {
                evaluation = condition.get().evaluate(builder.facts());
            } catch (IllegalArgumentException e) {
                return Optional.of(builder.notBuilt(model, ModelStatus.FAILED, reason, "Cannot decide whether model "
                        + model.name() + " (" + model.model().relativeFile() + ") runs: " + e.getMessage()
                        + "; select the models its when: condition reads (--select +" + model.name() + ")"));
            }
            decisions.put(key(model.name()), evaluation);
            if (!evaluation.holds()) {
                String otherwise = model.model().otherwise();
                return Optional.of(builder.notBuilt(model, ModelStatus.NOT_TAKEN, "condition false: "
                        + evaluation.explanation() + (otherwise == null ? "" : "; " + otherwise + " runs instead"), null));
            }
        }
        Optional<String> replaced = quality.replaces(model.name());
        if (replaced.isPresent()) {
            Condition.Evaluation evaluation = decisions.get(key(replaced.get()));
            if (evaluation == null) {
                // Undecided is not a decision: the user selected a model that cannot know whether it should run.
                return Optional.of(builder.notBuilt(model, ModelStatus.SKIPPED, "path not decided: it runs only when "
                        + "the when: condition of " + replaced.get() + " is false, and " + replaced.get() + " was not "
                        + "decided in this run; select it too (--select \"" + replaced.get() + " " + model.name() + "\")",
                        null));
            }
            if (evaluation.holds()) {
                return Optional.of(builder.notBuilt(model, ModelStatus.NOT_TAKEN, "path not taken: it runs only when "
                        + "the when: condition of " + replaced.get() + " is false; " + evaluation.explanation(), null));
            }
        }
        return Optional.empty();
    }

    /** The run reason of a model that is built, with the path decision that let it run. */
    String reason(PlannedModel model, String reason) {
        Condition.Evaluation own = decisions.get(key(model.name()));
        if (own != null) {
            return reason + "; condition true: " + own.explanation();
        }
        return quality.replaces(model.name())
                .map(replaced -> reason + "; otherwise path of " + replaced + ": "
                        + decisions.get(key(replaced)).explanation())
                .orElse(reason);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
