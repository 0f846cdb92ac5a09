package dev.sluice;

/** Hears a run's progress; called from worker threads, so implementations must be thread-safe. */
public interface RunListener {
    /** Does nothing. */
    RunListener NONE = new RunListener() {
    };

    default void sourceLoaded(SourceResult source) {
    }

    default void modelStarted(String model) {
    }

    default void modelFinished(ModelResult model, int finished, int total) {
    }

    /** Something the run wants the user to know that is not a model's or source's outcome, such as lineage sent. */
    default void notice(String message) {
    }
}
