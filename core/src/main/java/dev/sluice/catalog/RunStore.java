package dev.sluice.catalog;

import dev.sluice.engine.Session;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The runs of a warehouse and each model's outcome in them ({@code runs}, {@code model_runs}, {@code
 * lock_takeovers}). Thread-safe; a method taking a {@link Session} writes in that session's transaction (the
 * publishing one of a model) so it commits or rolls back with the model's data, the others in their own.
 */
public interface RunStore {
    /** Records a new run as running and returns its id. */
    long startRun(String command, String args, String engineVersion, String sluiceVersion, String host, long pid);

    /** Records the end of a run with its final status ({@code success} or {@code failed}). */
    void finishRun(long runId, String status);

    /**
     * Records that a command took the warehouse lock over from a process that died holding it ({@code
     * previousHolder} as the lock file named it), with the runs that opening the catalog marked killed.
     */
    void recordLockTakeover(String command, String previousHolder, String host, long pid, List<Long> killedRuns);

    /** When a run started, in the local time of the machine that ran it. */
    LocalDateTime startedAt(Session session, long runId);

    /** The latest run of a command, if there was one. */
    Optional<RunRecord> lastRun(String command);

    /** The {@code limit} latest runs, newest first. */
    List<RunRecord> recentRuns(int limit);

    /** Records a model's outcome; pass the session of the publishing transaction so both commit together. */
    void recordModelRun(Session session, ModelRunRecord record);

    /**
     * Records what went wrong after a model's publish committed (the published table is complete); in its own
     * transaction, since the publishing one is over.
     */
    void recordModelWarning(long runId, String model, String warning);

    /**
     * Records the Iceberg snapshot a model's build published, in the publishing transaction {@code session} (so that
     * the data and the record commit together).
     */
    void recordModelSnapshot(Session session, long runId, String model, long snapshotId);

    /**
     * Records what a build spent on its storage, statistics and layout in milliseconds, and the bytes its published
     * table takes on disk ({@code bytes}; null when unknown, left as it is): all known once its post-commit step is
     * over.
     */
    void recordModelStorage(Session session, long runId, String model, long statisticsMs, long layoutMs, Long bytes);

    /** The model outcomes of a run, in the order they started (those that never started last), by model. */
    List<ModelRunRecord> modelRuns(long runId);

    /** Each model's most recent outcome, whatever it was, by model name. */
    List<ModelRunRecord> lastModelRuns();

    /** The latest successful outcome of a model (built, or found up to date), if it was ever built. */
    Optional<ModelRunRecord> lastSuccess(String model);

    /**
     * The last run that really built the model (status {@code success}; not one that found it up to date), or
     * empty.
     */
    Optional<Long> lastBuild(String model);

    /** Records a write (or a failed one) of a model's sink, in a transaction of its own: the model's has committed. */
    void recordSinkWrite(SinkWriteRecord record);

    /**
     * True when {@code target} does not hold the model's latest build before run {@code beforeRun}: it was never
     * written successfully, or the model was built (status {@code success}) after the build the last successful
     * write holds. Then the next write must be whole, not an increment.
     */
    boolean sinkBehind(String model, String target, long beforeRun);
}
