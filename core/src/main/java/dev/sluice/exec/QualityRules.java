package dev.sluice.exec;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.connect.Tracked;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Engines;
import dev.sluice.engine.Sql;
import dev.sluice.plan.PlannedModel;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Materialization;
import dev.sluice.project.Model;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import dev.sluice.quality.Condition;
import dev.sluice.quality.Rule;
import dev.sluice.quality.RuleParser;
import dev.sluice.quality.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The quality rules and conditions of a planned project, read and checked once: every problem in any rule or
 * condition is reported together, before anything runs.
 */
final class QualityRules {
    private final Map<String, List<Rule>> rules = new HashMap<>();
    private final Map<String, Condition> conditions = new HashMap<>();
    /** Owner → the models and sources its relationships rules read, which must be built or loaded first. */
    private final Map<String, java.util.Set<String>> readModels = new HashMap<>();
    private final Map<String, java.util.Set<String>> readSources = new HashMap<>();
    private final Map<String, String> modelNames = new HashMap<>();
    private final Map<String, String> sourceNames = new HashMap<>();
    /** Model that runs instead → the model whose condition it replaces. */
    private final Map<String, String> otherwiseOf = new HashMap<>();
    /** Model → why it cannot run now: its condition, otherwise: or relationships rules read a model set aside. */
    private final Map<String, List<String>> blocked = new java.util.LinkedHashMap<>();
    private final ProjectPlan plan;

    /** The project's engine's SQL, which its rules compile to. */
    private final Dialect dialect;

    QualityRules(Project project, ProjectPlan plan) {
        this.plan = plan;
        this.dialect = Engines.of(project).dialect();
        List<String> problems = new ArrayList<>();
        Map<String, String> relations = new HashMap<>();
        for (PlannedModel planned : plan.models()) {
            Model model = planned.model();
            if (model.materialized() != Materialization.EPHEMERAL) {
                String relation = Sql.qualified(model.schema(), model.name());
                relations.put(key(model.name()), relation);
                relations.put(key(model.qualifiedName()), relation);
                modelNames.put(key(model.name()), model.name());
                modelNames.put(key(model.qualifiedName()), model.name());
            }
        }
        for (Source source : project.sources()) {
            String relation = Sql.qualified(source.schema(), source.table());
            relations.putIfAbsent(key(source.table()), relation);
            relations.put(key(source.qualifiedName()), relation);
            sourceNames.putIfAbsent(key(source.table()), source.qualifiedName());
            sourceNames.put(key(source.qualifiedName()), source.qualifiedName());
        }
        for (Source source : project.sources()) {
            List<Rule> read = read("source " + source.qualifiedName(), source.qualifiedName(), source.quality(),
                    relations, null, plan, problems);
            if (Tracked.isTracked(source) && read.stream().anyMatch(rule -> rule.severity() == Severity.QUARANTINE)) {
                problems.add("Cannot quarantine rows of source " + source.qualifiedName() + " (" + source.location()
                        + "): its changes are tracked, so its rows are checked as they arrive; use severity fail "
                        + "or warn, or quarantine in the first model that reads it");
            }
        }
        for (PlannedModel planned : plan.models()) {
            Model model = planned.model();
            List<Rule> read = read("model " + model.name(), model.name(), model.quality(), relations,
                    planned.columns().stream().map(dev.sluice.plan.ColumnType::name).toList(), plan, problems);
            if (model.materialized() != Materialization.TABLE
                    && read.stream().anyMatch(rule -> rule.severity() == Severity.QUARANTINE)) {
                String kind = model.materialized().name().toLowerCase(Locale.ROOT);
                problems.add("Cannot quarantine rows of model " + model.name() + " (" + model.relativeFile() + "): it is "
                        + (kind.startsWith("i") || kind.startsWith("e") ? "an " : "a ") + kind + ", and only tables "
                        + "(materialized: table) and untracked sources keep rows aside; set materialized: table, or use "
                        + "severity fail or warn");
            }
            if (model.when() != null) {
                condition(plan, model, problems);
            }
        }
        for (Model aside : plan.setAsideModels()) {
            // Its otherwise: branch runs only on its decision, which cannot be made now.
            if (aside.otherwise() != null && plan.model(aside.otherwise()).isPresent()) {
                block(plan.model(aside.otherwise()).get().name(), "it runs only when the when: condition of model",
                        aside.name());
            }
        }
        if (!problems.isEmpty()) {
            throw SluiceException.ofProblems(ErrorCode.MODEL_INVALID, "Cannot plan quality gates of project '"
                    + project.name() + "': " + problems.size() + " problems", problems);
        }
    }

    /** {@code columns} are those of the model or source (null where not known before it loads). */
    private List<Rule> read(String owner, String name, List<dev.sluice.project.RuleConfig> configs,
            Map<String, String> relations, List<String> columns, ProjectPlan plan, List<String> problems) {
        RuleParser.Result result = RuleParser.parse(owner, configs, target -> {
            if (setAside(target)) {
                // The rule cannot run now, and neither can its model: selecting that model says why.
                block(name, "its relationships rule reads model", target);
                return Sql.identifier(target);
            }
            // A model name wins over a source's table name, as in the models' SQL.
            if (modelNames.containsKey(key(target))) {
                readModels.computeIfAbsent(key(name), k -> new java.util.TreeSet<>()).add(modelNames.get(key(target)));
            } else if (sourceNames.containsKey(key(target))) {
                readSources.computeIfAbsent(key(name), k -> new java.util.TreeSet<>()).add(sourceNames.get(key(target)));
            }
            return relations.get(key(target));
        }, columns, target -> modelNames.containsKey(key(target))
                ? plan.model(modelNames.get(key(target))).map(model -> model.columns().stream()
                        .map(dev.sluice.plan.ColumnType::name).toList()).orElse(null)
                : null, dialect);
        problems.addAll(result.problems());
        rules.put(key(name), result.rules());
        return result.rules();
    }

    private void condition(ProjectPlan plan, Model model, List<String> problems) {
        try {
            Condition condition = Condition.parse(model.when());
            for (String upstream : condition.models()) {
                if (setAside(upstream)) {
                    block(model.name(), "its when: condition reads model", upstream);
                } else if (plan.model(upstream).isEmpty()) {
                    problems.add("Cannot plan model " + model.name() + " (" + model.relativeFile() + "): its when: "
                            + "condition reads model '" + upstream + "', which the project does not have");
                }
            }
            conditions.put(key(model.name()), condition);
        } catch (IllegalArgumentException e) {
            problems.add("Cannot plan model " + model.name() + " (" + model.relativeFile() + "): " + e.getMessage());
        }
        if (model.otherwise() != null) {
            Optional<PlannedModel> otherwise = plan.model(model.otherwise());
            if (setAside(model.otherwise())) {
                block(model.name(), "its otherwise: names model", model.otherwise());
            } else if (otherwise.isEmpty()) {
                problems.add("Cannot plan model " + model.name() + " (" + model.relativeFile() + "): otherwise names "
                        + "model '" + model.otherwise() + "', which the project does not have (or is disabled)");
            } else {
                otherwiseOf.put(key(otherwise.get().name()), model.name());
            }
        }
    }

    /** Why {@code name} (a model's name, or schema.name) cannot be planned now; empty when it is no model set aside. */
    private List<String> setAsideReasons(String name) {
        if (plan.model(name).isPresent()) {
            return List.of();
        }
        return plan.setAsideModels().stream()
                .filter(aside -> aside.name().equalsIgnoreCase(name) || aside.qualifiedName().equalsIgnoreCase(name))
                .flatMap(aside -> plan.unavailable().getOrDefault(aside.name(), List.of()).stream()).toList();
    }

    private boolean setAside(String name) {
        return !setAsideReasons(name).isEmpty();
    }

    /** Records that {@code model} cannot run now: {@code what} reads {@code target}, a model set aside. */
    private void block(String model, String what, String target) {
        blocked.computeIfAbsent(model, k -> new ArrayList<>()).add(what + " '" + target + "', which cannot be "
                + "planned now: " + String.join("; ", setAsideReasons(target)));
    }

    /**
     * Models that plan but cannot run now (model name → why): their when: condition, otherwise: or relationships
     * rules read a model set aside because a source it reads cannot be read; models that do not need them run.
     */
    Map<String, List<String>> blocked() {
        return java.util.Collections.unmodifiableMap(blocked);
    }

    /** The models the rules of a model or source read (relationships targets). */
    java.util.Set<String> modelsRead(String name) {
        return readModels.getOrDefault(key(name), java.util.Set.of());
    }

    /** The sources the rules of a model or source read (relationships targets). */
    java.util.Set<String> sourcesRead(String name) {
        return readSources.getOrDefault(key(name), java.util.Set.of());
    }

    /** The rules of a model (by name) or source (by qualified name); empty when it has none. */
    List<Rule> of(String name) {
        return rules.getOrDefault(key(name), List.of());
    }

    Optional<Condition> condition(String model) {
        return Optional.ofNullable(conditions.get(key(model)));
    }

    /** The model whose condition decides whether this one runs instead of it, if any. */
    Optional<String> replaces(String model) {
        return Optional.ofNullable(otherwiseOf.get(key(model)));
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
