package dev.sluice;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * One model's outcome in a run.
 *
 * @param relation {@code schema.name} it is published as
 * @param rows rows published; null for views and for models that did not succeed
 * @param reason why it ran, or why it was skipped
 * @param error what went wrong, with the model's file; null unless failed
 * @param quality the results of the model's quality rules, in rule order; empty when it has none or did not run
 * @param warning what went wrong after the model was published (cleaning up older lake versions, measuring), which
 *     leaves the published table complete; null when nothing did
 * @param lateRows what became of the late rows a windowed model read in this run; {@link LateRowCounts#NONE} for
 *     other models and when there were none
 * @param nothingRestated why a backfill of this windowed model restated nothing (no built interval in its range);
 *     null when there was no backfill of it or it restated some intervals
 */
public record ModelResult(
        String model,
        String relation,
        String materialized,
        ModelStatus status,
        Long rows,
        Duration duration,
        String reason,
        String error,
        List<QualityResult> quality,
        String warning,
        LateRowCounts lateRows,
        String nothingRestated) {
    public ModelResult {
        requireNonNull(model, "model");
        requireNonNull(relation, "relation");
        requireNonNull(status, "status");
        requireNonNull(duration, "duration");
        requireNonNull(lateRows, "lateRows");
        quality = List.copyOf(quality);
    }

    /** An outcome without late rows or backfill. */
    public ModelResult(String model, String relation, String materialized, ModelStatus status, Long rows,
            Duration duration, String reason, String error, List<QualityResult> quality, String warning) {
        this(model, relation, materialized, status, rows, duration, reason, error, quality, warning,
                LateRowCounts.NONE, null);
    }

    /** An outcome without a warning. */
    public ModelResult(String model, String relation, String materialized, ModelStatus status, Long rows,
            Duration duration, String reason, String error, List<QualityResult> quality) {
        this(model, relation, materialized, status, rows, duration, reason, error, quality, null);
    }

    /** This outcome with a warning. */
    public ModelResult withWarning(String text) {
        return new ModelResult(model, relation, materialized, status, rows, duration, reason, error, quality, text,
                lateRows, nothingRestated);
    }

    /** This outcome of a windowed model with what became of its late rows and of a backfill that restated nothing. */
    public ModelResult withWindow(LateRowCounts late, String unrestated) {
        return new ModelResult(model, relation, materialized, status, rows, duration, reason, error, quality, warning,
                late, unrestated);
    }
}
