package dev.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;

/**
 * A row of {@code sluice.sink_writes}: one write of a model's published result to its sink in one run.
 *
 * @param target the target table without credentials ({@code postgres://host:port/db.schema.table})
 * @param writeKind {@code full} or {@code increment}
 * @param modelRun the model's build the target holds after this write (its checkpoint); null when it failed
 * @param rows rows written; null when it failed
 * @param error what went wrong, secrets hidden; null on success
 */
public record SinkWriteRecord(long runId, String model, String target, String mode, String writeKind, Long modelRun,
        String status, Long rows, long durationMs, String error, LocalDateTime writtenAt) {
    public SinkWriteRecord {
        requireNonNull(model, "model");
        requireNonNull(target, "target");
        requireNonNull(mode, "mode");
        requireNonNull(writeKind, "writeKind");
        requireNonNull(status, "status");
        requireNonNull(writtenAt, "writtenAt");
    }
}
