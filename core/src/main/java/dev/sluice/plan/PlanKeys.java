package dev.sluice.plan;

import dev.sluice.plan.NameResolver.ModelTarget;
import dev.sluice.plan.NameResolver.SourceTarget;
import dev.sluice.plan.ParsedModel.Reference;
import dev.sluice.project.Materialization;
import dev.sluice.project.Model;
import dev.sluice.project.Project;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The keys of the plan cache. A model's plan is a function of its text key (what it says) and of what each table it
 * names resolves to, with that table's row type: equal plan keys mean an equal plan, so a changed model re-plans,
 * and so does each model whose inputs' row types changed, and nothing else.
 */
final class PlanKeys {
    private PlanKeys() {
    }

    /**
     * What a model's planning reads before its inputs: its text (front matter included, vars substituted), name,
     * schema, parser and materialization, the project's vars and engine, the Sluice version and the cache's format.
     */
    static String textKey(Project project, String sluiceVersion, Model model) {
        StringBuilder text = new StringBuilder();
        field(text, PlanCache.FORMAT);
        field(text, sluiceVersion);
        field(text, project.engine());
        field(text, model.name());
        field(text, model.schema());
        field(text, model.parser().name());
        field(text, model.materialized().name());
        field(text, model.sqlHash());
        // Sorted, with each value's type: 1 and '1' substitute differently. Secret vars show their placeholder.
        new TreeMap<>(project.publicVars()).forEach((name, value) -> {
            field(text, name);
            field(text, value == null ? "null" : value.getClass().getSimpleName() + ":" + value);
        });
        return PlanCache.hash(text.toString());
    }

    /**
     * The text key and, for each table the model names (in order), what it resolves to and its row type; for an
     * ephemeral model also its SQL, which is inlined. Null when an input is not planned (the model is not cached).
     */
    static String planKey(String textKey, List<Reference> references, Function<Model, PlannedModel> plannedModels,
            Function<String, List<ColumnType>> sourceColumns) {
        StringBuilder text = new StringBuilder();
        field(text, textKey);
        for (Reference reference : references) {
            field(text, String.join(".", reference.parts()) + "@" + reference.start() + "-" + reference.end());
            if (reference.target() instanceof ModelTarget target) {
                PlannedModel input = plannedModels.apply(target.model());
                if (input == null) {
                    return null;
                }
                field(text, "model " + target.model().qualifiedName() + " " + target.model().materialized());
                columns(text, input.columns());
                if (target.model().materialized() == Materialization.EPHEMERAL) {
                    field(text, input.template());
                }
            } else if (reference.target() instanceof SourceTarget target) {
                List<ColumnType> columns = sourceColumns.apply(target.source().qualifiedName().toLowerCase(Locale.ROOT));
                if (columns == null) {
                    return null;
                }
                field(text, "source " + target.source().qualifiedName());
                columns(text, columns);
            } else {
                return null;
            }
        }
        return PlanCache.hash(text.toString());
    }

    private static void columns(StringBuilder text, List<ColumnType> columns) {
        columns.forEach(column -> field(text, column.name() + " " + column.type()));
    }

    /** Length-prefixed, so that no two different lists of fields give the same text. */
    private static void field(StringBuilder text, String value) {
        text.append(value.length()).append(':').append(value).append('\n');
    }

}
