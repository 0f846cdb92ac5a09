package dev.sluice;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;

/**
 * One quality rule's outcome on a model or source in a past run, as the catalog keeps it. Immutable.
 *
 * @param model the qualified name of the model or source the rule checks
 * @param verdict {@code pass}, {@code warn} or {@code fail}
 * @param sample a few failing rows as a JSON array, or null
 */
public record QualityCheck(long runId, String model, String rule, String ruleType, String severity, long rowsChecked,
        long rowsFailed, double failFraction, String thresholds, String verdict, String message, String sample,
        long durationMs, LocalDateTime checkedAt) {
    public QualityCheck {
        requireNonNull(model, "model");
        requireNonNull(rule, "rule");
        requireNonNull(verdict, "verdict");
    }
}
