package dev.sluice;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The state of a project's windowed models: their interval ranges, what became of late rows, and lateness advice.
 * Immutable.
 *
 * @param intervals per model, the built interval ranges (merged), with state, run, rows and greatest event time
 * @param lateRows per model, source and disposition, the late rows of every run
 * @param advice per windowed model and timed source, a lateness proposed from measured arrival lags
 */
public record WindowReport(QueryResult intervals, QueryResult lateRows, List<LatenessAdvice> advice) {
    public WindowReport {
        requireNonNull(intervals, "intervals");
        requireNonNull(lateRows, "lateRows");
        advice = List.copyOf(advice);
    }
}
