package dev.sluice.plan;

import dev.sluice.project.Project;

/**
 * Plans a project: parses and validates every enabled model with Calcite, cross-checks each with DuckDB through
 * the {@link SchemaOracle}, and orders the models into a graph. Stateless; each call builds its own Calcite
 * environment, so concurrent calls need separate oracles.
 */
public final class Planner {
    private Planner() {
    }

    /**
     * Plans every enabled model of the project.
     *
     * @throws dev.sluice.SluiceException MODEL_INVALID listing every problem found (syntax, unknown tables or
     *     columns, types, disagreements between Calcite and DuckDB), or MODEL_CYCLE when models read each other
     */
    public static ProjectPlan plan(Project project, SchemaOracle oracle) {
        return new PlanRun(project, oracle).plan();
    }

    /**
     * Plans every enabled model of the project, taking from {@code cache} each model whose text and inputs' row
     * types are those it was planned with ({@link ProjectPlan#report()} says which, and the rows to keep).
     *
     * @throws dev.sluice.SluiceException as {@link #plan(Project, SchemaOracle)}
     */
    public static ProjectPlan plan(Project project, SchemaOracle oracle, PlanCache cache) {
        return new PlanRun(project, oracle, cache).plan();
    }
}
