package dev.sluice;

import java.util.List;

/**
 * One model a run would build, in order.
 *
 * @param reason why it would run (new model, SQL changed, ...)
 * @param upstream the models and sources it reads
 */
public record PlanStep(String model, String relation, String materialized, String file, String reason,
        List<String> upstream) {
    public PlanStep {
        upstream = List.copyOf(upstream);
    }
}
