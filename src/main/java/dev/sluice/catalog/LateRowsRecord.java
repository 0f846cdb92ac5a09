package dev.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;

/** One row of {@code sluice.late_rows}: late rows of one source for one interval, and what became of them. */
public record LateRowsRecord(long runId, String model, String source, LocalDateTime intervalStart,
        LocalDateTime intervalEnd, long arrivalRun, String disposition, long rows, double latenessSeconds) {
    public LateRowsRecord {
        requireNonNull(model, "model");
        requireNonNull(source, "source");
        requireNonNull(intervalStart, "intervalStart");
        requireNonNull(intervalEnd, "intervalEnd");
        requireNonNull(disposition, "disposition");
    }
}
