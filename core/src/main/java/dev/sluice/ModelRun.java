package dev.sluice;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;

/**
 * One model's outcome in a past run, as the catalog keeps it. Immutable; counts are null when unknown.
 *
 * @param model the model's qualified name ({@code schema.name})
 * @param status the word of its {@link ModelStatus} ({@code success}, {@code up_to_date}, {@code failed}, ...)
 */
public record ModelRun(long runId, String model, String relation, String materialized, String status, Long rows,
        Long bytes, LocalDateTime startedAt, long durationMs, String sqlHash, String reason, String error,
        Long snapshotId) {
    public ModelRun {
        requireNonNull(model, "model");
        requireNonNull(status, "status");
    }
}
