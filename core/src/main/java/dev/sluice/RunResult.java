package dev.sluice;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a run: immutable.
 *
 * @param runId the run's id in the catalog ({@code sluice.runs}); 0 when nothing ran
 * @param models every selected model in the order they finished
 */
public record RunResult(long runId, List<SourceResult> sources, List<ModelResult> models, Duration duration) {
    public RunResult {
        sources = List.copyOf(sources);
        models = List.copyOf(models);
    }

    /**
     * True when every source loaded and no model failed or was skipped: models up to date and conditional paths not
     * taken are successes.
     */
    public boolean succeeded() {
        return sources.stream().allMatch(SourceResult::loaded) && models.stream().allMatch(m -> m.status().ok());
    }

    public Optional<ModelResult> model(String name) {
        return models.stream().filter(m -> m.model().equalsIgnoreCase(name)).findFirst();
    }

    public long count(ModelStatus status) {
        return models.stream().filter(m -> m.status() == status).count();
    }
}
