package dev.sluice;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * What a schedule did at one of its due times, as the catalog keeps it. Immutable.
 *
 * @param due the due time
 * @param runId the run it started ({@link Status#STARTED}), or null
 * @param runStatus the status of that run in {@code sluice.runs} ({@code running}, {@code success}, {@code failed},
 *     {@code killed}) when read back from the catalog, or null
 * @param reason why it started no run, or null
 */
public record ScheduleRun(String schedule, Instant due, Status status, Long runId, String runStatus, String reason) {
    /** What happened at a due time. */
    public enum Status {
        /** A run started; its outcome is the run's. */
        STARTED,
        /** No run started: {@code max_concurrency} runs of the schedule were still queued or running. */
        SKIPPED,
        /** No run started: no server ran at the due time, and {@code catch_up} did not run it later. */
        MISSED,
        /** The run could not start (the warehouse was held by another process, the selection failed...). */
        FAILED
    }

    public ScheduleRun {
        requireNonNull(schedule, "schedule");
        requireNonNull(due, "due");
        requireNonNull(status, "status");
    }

    /** A due time at which no run started, and why. */
    public static ScheduleRun without(String schedule, Instant due, Status status, String reason) {
        return new ScheduleRun(schedule, due, status, null, null, requireNonNull(reason, "reason"));
    }
}
