package dev.sluice;

import java.util.List;

/**
 * What a run would do, from one planning of the project: the models it would build, in order and why, and what it
 * would find new in each tracked source.
 */
public record Preview(List<PlanStep> steps, List<SourceChange> changes) {
    public Preview {
        steps = List.copyOf(steps);
        changes = List.copyOf(changes);
    }
}
