package dev.sluice.catalog;

import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What windowed models built and how late their sources' rows arrived ({@code intervals}, {@code late_rows}, {@code
 * window_runs}, {@code arrival_lateness}). Thread-safe; a method taking a {@link Session} works in that session's
 * (publishing) transaction.
 */
public interface WindowStore {
    /**
     * What a build of windowed model {@code model} reads of the catalog, in one query: its interval ranges and those
     * of its windowed {@code upstreams}, its last successful build, the late rows it sets aside, and of the tracked
     * {@code sources} it reads, its checkpoints, those changed or retracted since and their measured arrivals.
     */
    WindowBuildRecords buildRecords(String model, List<String> upstreams, List<String> sources);

    /**
     * {@link #buildRecords(String, List, List)} read through {@code session} (the build's own warehouse session, which
     * reads a catalog kept in the warehouse without a session of its own).
     */
    WindowBuildRecords buildRecords(Session session, String model, List<String> upstreams, List<String> sources);

    /**
     * Replaces interval ranges of a model: removes those starting at {@code removedStarts}, adds {@code added}; pass
     * the publishing session so they commit with its rows.
     */
    void replaceIntervals(Session session, String model, List<LocalDateTime> removedStarts,
            List<IntervalRecord> added);

    /** Forgets every interval range of a model (before a full rebuild); pass the publishing session. */
    void forgetIntervals(Session session, String model);

    /** Records late rows and what became of them; pass the publishing session. */
    void recordLateRows(Session session, List<LateRowsRecord> records);

    /** Records what a windowed model built in a run (once per model and run); pass the publishing session. */
    void recordWindowRun(Session session, WindowRunRecord record);

    /** Records how late a source's rows of one run arrived; a second record of the same run and column is ignored. */
    void recordArrivalLateness(Session session, ArrivalLatenessRecord record);

    /**
     * Records arrivals known not to be recorded yet, which no other session records meanwhile (a build measuring the
     * loads of a source no other windowed model reads, in its publishing session): a second record of the same run,
     * source, column and clock fails (a bug of the caller), where {@link #recordArrivalLateness} ignores it.
     */
    void recordNewArrivals(Session session, List<ArrivalLatenessRecord> records);

    /** The runs whose arrival lateness is recorded for a source's column on a clock. */
    Set<Long> measuredArrivals(Session session, String source, String column, String clock);

    /** The arrival lateness recorded for a source's column on a clock, oldest run first. */
    List<ArrivalLatenessRecord> arrivalLateness(String source, String column, String clock);

    /**
     * The greatest event time of a source's column among the rows of runs before {@code beforeRun} whose arrival was
     * measured, or empty when none was.
     */
    Optional<LocalDateTime> eventFrontier(Session session, String source, String column, long beforeRun);

    /** Every built interval range of the windowed models, by model and start. */
    Rows intervalRanges();

    /** Late rows per model, source and disposition: the intervals they fell in, their rows and the last run. */
    Rows lateRowSummary();
}
