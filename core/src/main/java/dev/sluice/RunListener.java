package dev.sluice;

/** Hears a run's progress; called from worker threads, so implementations must be thread-safe. */
public interface RunListener {
    /** Does nothing. */
    RunListener NONE = new RunListener() {
    };

    /** The run is recorded in the catalog under {@code runId}, before any source loads or model starts. */
    default void runStarted(long runId) {
    }

    default void sourceLoaded(SourceResult source) {
    }

    default void modelStarted(String model) {
    }

    default void modelFinished(ModelResult model, int finished, int total) {
    }

    /** Something the run wants the user to know that is not a model's or source's outcome, such as lineage sent. */
    default void notice(String message) {
    }

    /** The engine's memory in bytes as the run ends, before the warehouse closes; not called when unknown. */
    default void engineMemory(long bytes) {
    }

    /** A listener that tells each of {@code listeners} in turn. */
    static RunListener all(RunListener... listeners) {
        java.util.List<RunListener> each = java.util.List.of(listeners);
        return new RunListener() {
            @Override
            public void runStarted(long runId) {
                each.forEach(listener -> listener.runStarted(runId));
            }

            @Override
            public void sourceLoaded(SourceResult source) {
                each.forEach(listener -> listener.sourceLoaded(source));
            }

            @Override
            public void modelStarted(String model) {
                each.forEach(listener -> listener.modelStarted(model));
            }

            @Override
            public void modelFinished(ModelResult model, int finished, int total) {
                each.forEach(listener -> listener.modelFinished(model, finished, total));
            }

            @Override
            public void notice(String message) {
                each.forEach(listener -> listener.notice(message));
            }

            @Override
            public void engineMemory(long bytes) {
                each.forEach(listener -> listener.engineMemory(bytes));
            }
        };
    }
}
