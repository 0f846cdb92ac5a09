package dev.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;

/** One row of {@code sluice.intervals}: consecutive built intervals of a model that share a state and a run. */
public record IntervalRecord(String model, LocalDateTime start, LocalDateTime end, long intervals, String grain,
        String state, long runId, long rows, LocalDateTime maxEventTime) {
    public IntervalRecord {
        requireNonNull(model, "model");
        requireNonNull(start, "start");
        requireNonNull(end, "end");
        requireNonNull(grain, "grain");
        requireNonNull(state, "state");
    }
}
