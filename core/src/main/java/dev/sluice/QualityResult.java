package dev.sluice;

import static java.util.Objects.requireNonNull;

/**
 * One quality rule's outcome on a model or source in a run.
 *
 * @param verdict {@code pass}, {@code warn} or {@code fail}
 * @param sample a few failing rows as a JSON array, or null when none failed or the rule checks the whole table
 */
public record QualityResult(String owner, String rule, String type, String severity, long rowsChecked,
        long rowsFailed, double failFraction, String thresholds, String verdict, String message, String sample) {
    public QualityResult {
        requireNonNull(owner, "owner");
        requireNonNull(rule, "rule");
        requireNonNull(verdict, "verdict");
    }
}
