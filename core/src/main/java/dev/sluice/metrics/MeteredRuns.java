package dev.sluice.metrics;

import dev.sluice.RunListener;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import java.time.Clock;
import java.time.Duration;

/**
 * Runs a project through {@link Sluice#run} and reports each run to one {@link RunMetrics}: its events while it runs,
 * its outcome when it ends, and what the catalog kept of it after. A long-running process ({@code sluice serve})
 * hands one instance to everything that starts runs, so its metrics add up across them. Thread-safe.
 */
public final class MeteredRuns {
    private final Sluice sluice;
    private final RunMetrics metrics;
    private final Clock clock;

    /** Runs {@code sluice}, reporting to {@code metrics}; {@code clock} says what now is for the source read lag. */
    public MeteredRuns(Sluice sluice, RunMetrics metrics, Clock clock) {
        this.sluice = sluice;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The metrics the runs report to. */
    public RunMetrics metrics() {
        return metrics;
    }

    /**
     * Runs {@code options}, telling {@code listener} about the run as well as the metrics.
     *
     * @throws dev.sluice.SluiceException as {@link Sluice#run} does, counted as a run ending in an error
     */
    public RunResult run(RunOptions options, RunListener listener) {
        return run(sluice, options, listener);
    }

    /**
     * As {@link #run(RunOptions, RunListener)}, on {@code project}: the same project opened elsewhere in this process
     * (with vars of its own, as {@code sluice run --var} opens it inside the server).
     */
    public RunResult run(Sluice project, RunOptions options, RunListener listener) {
        long start = System.nanoTime();
        RunResult result;
        try {
            result = project.run(options, RunListener.all(listener, metrics));
        } catch (RuntimeException e) {
            metrics.runFailed(Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
        metrics.runFinished(result);
        if (result.runId() != 0) {
            try {
                metrics.catalogRecorded(RunRecord.read(project, result.runId(), clock));
            } catch (RuntimeException e) {
                // The run's outcome stands; only its bytes and detections are missing from the metrics.
                listener.notice("Cannot read the bytes and detected changes of run " + result.runId() + " for the "
                        + "metrics: " + e.getMessage() + "; the other metrics are kept");
            }
        }
        return result;
    }
}
