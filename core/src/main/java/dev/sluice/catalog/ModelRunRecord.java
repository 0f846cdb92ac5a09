package dev.sluice.catalog;

import java.time.LocalDateTime;

/**
 * A row of {@code sluice.model_runs}: one model's outcome in one run. Counts are null when unknown; {@code buildKind}
 * is {@code full}, {@code incremental} or {@code intervals} for an outcome that built something, null otherwise;
 * {@code snapshotId} is the Iceberg snapshot a build published, on an engine whose tables are Iceberg tables (Spark),
 * else null.
 */
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
        String error,
        String buildKind,
        Long snapshotId) {

    /** An outcome with no Iceberg snapshot of its own. */
    public ModelRunRecord(long runId, String model, String relation, String materialized, String status, Long rows,
            Long bytes, LocalDateTime startedAt, long durationMs, String sqlHash, String reason, String error,
            String buildKind) {
        this(runId, model, relation, materialized, status, rows, bytes, startedAt, durationMs, sqlHash, reason, error,
                buildKind, null);
    }

    /** An outcome that built nothing (its build kind null). */
    public ModelRunRecord(long runId, String model, String relation, String materialized, String status, Long rows,
            Long bytes, LocalDateTime startedAt, long durationMs, String sqlHash, String reason, String error) {
        this(runId, model, relation, materialized, status, rows, bytes, startedAt, durationMs, sqlHash, reason, error,
                null);
    }
}
