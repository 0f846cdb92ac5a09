package dev.sluice.plan;

import static java.util.Objects.requireNonNull;

import dev.sluice.project.Model;
import java.util.List;
import java.util.Set;

/**
 * A validated model, ready to run.
 *
 * @param executableSql the model's own text with parameters substituted, every reference to a model or source
 *     rewritten to its quoted qualified name ({@code "staging"."stg_orders"}) and ephemeral upstream models inlined
 *     as common table expressions; this, not Calcite's re-printed SQL, is what DuckDB runs
 * @param upstreamModels names of the models it reads directly (ephemeral ones included)
 * @param upstreamSources qualified names of the sources it reads directly
 * @param columns the output columns as DuckDB reports them
 * @param opaque true when the model was read with {@code parser: duckdb}: no Calcite validation or lineage
 */
public record PlannedModel(
        Model model,
        String executableSql,
        Set<String> upstreamModels,
        Set<String> upstreamSources,
        List<ColumnType> columns,
        boolean opaque) {
    public PlannedModel {
        requireNonNull(model, "model");
        requireNonNull(executableSql, "executableSql");
        upstreamModels = Set.copyOf(upstreamModels);
        upstreamSources = Set.copyOf(upstreamSources);
        columns = List.copyOf(columns);
    }

    public String name() {
        return model.name();
    }
}
