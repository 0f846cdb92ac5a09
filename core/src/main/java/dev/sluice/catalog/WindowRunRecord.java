package dev.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;

/** One row of {@code sluice.window_runs}: what a windowed model built in a run, and its late rows by fate. */
public record WindowRunRecord(long runId, String model, long intervalsProcessed, long intervalsRebuilt,
        long rowsWritten, long rowsRebuilt, long lateWithin, long lateReprocessed, long lateQuarantined,
        long lateDropped, long lateReassigned, LocalDateTime completeUntil, String detail) {
    public WindowRunRecord {
        requireNonNull(model, "model");
        requireNonNull(detail, "detail");
    }
}
