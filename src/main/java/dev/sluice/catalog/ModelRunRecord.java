package dev.sluice.catalog;

import java.time.LocalDateTime;

/** A row of {@code sluice.model_runs}: one model's outcome in one run. Counts are null when unknown. */
public record ModelRunRecord(
        long runId,
        String model,
        String relation,
        String materialized,
        String status,
        Long rows,
        Long bytes,
        LocalDateTime startedAt,
        long durationMs,
        String sqlHash,
        String reason,
        String error) {
}
