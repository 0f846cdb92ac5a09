package dev.sluice;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One run with the outcome of each model it built, as {@code sluice runs} shows it ({@link Sluice#runDetails}).
 * Immutable.
 *
 * @param models as {@link Sluice#modelRuns} of the run
 */
public record RunDetails(Run run, List<ModelRun> models) {
    public RunDetails {
        requireNonNull(run, "run");
        models = List.copyOf(models);
    }
}
