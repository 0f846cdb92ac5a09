package dev.sluice.catalog;

import java.time.LocalDateTime;

/** A row of {@code sluice.quality_results}: one rule's outcome on one model (or source) in one run. */
public record QualityResultRecord(
        long runId,
        String model,
        String rule,
        String ruleType,
        String severity,
        long rowsChecked,
        long rowsFailed,
        double failFraction,
        String thresholds,
        String verdict,
        String message,
        String sample,
        long durationMs,
        LocalDateTime checkedAt) {
}
