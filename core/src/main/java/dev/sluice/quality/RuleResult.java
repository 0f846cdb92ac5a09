package dev.sluice.quality;

import static java.util.Objects.requireNonNull;

/**
 * One rule's outcome on one relation. The verdict is what the outcome means for the relation: a rule of severity
 * {@code warn} only ever warns, so past its limit its verdict is {@code warn}, never {@code fail}.
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
        if (verdict == Verdict.FAIL && rule.severity() == Severity.WARN) {
            verdict = Verdict.WARN;
        }
    }

    public double failFraction() {
        return rowsChecked == 0 ? 0 : (double) rowsFailed / rowsChecked;
    }

    /** True when this result stops the model from being published. */
    public boolean blocks() {
        return verdict == Verdict.FAIL;
    }

    /** True when this rule's failing rows are moved to the quarantine table. */
    public boolean quarantines() {
        return rule.severity() == Severity.QUARANTINE && rowsFailed > 0;
    }

    public String thresholds() {
        return rule.thresholds().describe();
    }
}
