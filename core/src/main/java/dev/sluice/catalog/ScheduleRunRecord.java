package dev.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;

/**
 * A row of {@code sluice.schedule_runs}: what a schedule did at one due time, with the outcome of the run it
 * started when read back.
 *
 * @param dueAt the due time in UTC
 * @param status {@code started}, {@code skipped}, {@code missed} or {@code failed}
 * @param runId the run it started, or null
 * @param runStatus that run's status in {@code sluice.runs} when read back, or null
 * @param reason why no run started, or null
 */
public record ScheduleRunRecord(String schedule, LocalDateTime dueAt, String status, Long runId, String runStatus,
        String reason) {
    public ScheduleRunRecord {
        requireNonNull(schedule, "schedule");
        requireNonNull(dueAt, "dueAt");
        requireNonNull(status, "status");
    }
}
