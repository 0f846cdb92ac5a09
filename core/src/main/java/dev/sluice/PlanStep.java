package dev.sluice;

import java.util.List;

/**
 * One model a run would build, in order.
 *
 * @param reason why it would run (new model, SQL changed, ...)
 * @param upstream the models and sources it reads
 * @param lineageProblem why its column lineage is not derived (Calcite's message), or null when it is
 */
public record PlanStep(String model, String relation, String materialized, String file, String reason,
        List<String> upstream, String lineageProblem) {
    public PlanStep {
        upstream = List.copyOf(upstream);
    }
}
