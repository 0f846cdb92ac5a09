package dev.sluice.quality;

import static java.util.Objects.requireNonNull;

/**
 * One rule's outcome on one relation.
 *
 * @param rowsChecked rows the rule looked at (1 for a table-level rule)
 * @param rowsFailed failing rows (for table-level rules: 1 when the table fails)
 * @param message what was found, with counts and the threshold: the text a user reads
 */
public record RuleResult(Rule rule, long rowsChecked, long rowsFailed, Verdict verdict, String message) {
    public RuleResult {
        requireNonNull(rule, "rule");
        requireNonNull(verdict, "verdict");
        requireNonNull(message, "message");
    }

    public double failFraction() {
        return rowsChecked == 0 ? 0 : (double) rowsFailed / rowsChecked;
    }

    /** True when this result stops the model from being published. */
    public boolean blocks() {
        return verdict == Verdict.FAIL && rule.severity() != Severity.WARN;
    }

    /** True when this rule's failing rows are moved to the quarantine table. */
    public boolean quarantines() {
        return rule.severity() == Severity.QUARANTINE && rowsFailed > 0;
    }

    public String thresholds() {
        return rule.thresholds().describe();
    }
}
