package dev.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;

/**
 * One row of {@code sluice.late_rows}: late rows of one source for one interval, and what became of them.
 *
 * @param assignedTo for reassigned rows, the start of the interval they now count in; null otherwise
 */
public record LateRowsRecord(long runId, String model, String source, LocalDateTime intervalStart,
        LocalDateTime intervalEnd, long arrivalRun, String disposition, long rows, double latenessSeconds,
        LocalDateTime assignedTo) {
    public LateRowsRecord {
        requireNonNull(model, "model");
        requireNonNull(source, "source");
        requireNonNull(intervalStart, "intervalStart");
        requireNonNull(intervalEnd, "intervalEnd");
        requireNonNull(disposition, "disposition");
    }
}
