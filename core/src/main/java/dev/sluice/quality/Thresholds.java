package dev.sluice.quality;

/**
 * How many failing rows a rule tolerates. A rule fails (error level) when its failing rows exceed
 * {@code maxFailCount} or their fraction exceeds {@code maxFailFraction}; it warns when they exceed the warn
 * levels but not the error ones. Null means "no limit of this kind"; when both error limits are null, any
 * failing row fails the rule.
 */
record Thresholds(Long maxFailCount, Double maxFailFraction, Long warnFailCount, Double warnFailFraction) {

    public static Thresholds strict() {
        return new Thresholds(null, null, null, null);
    }

    Verdict judge(long failed, long checked) {
        double fraction = checked == 0 ? 0 : (double) failed / checked;
        boolean overError = maxFailCount == null && maxFailFraction == null
                ? failed > 0
                : exceeds(failed, fraction, maxFailCount, maxFailFraction);
        if (overError) {
            return Verdict.FAIL;
        }
        return exceeds(failed, fraction, warnFailCount, warnFailFraction) ? Verdict.WARN : Verdict.PASS;
    }

    private static boolean exceeds(long failed, double fraction, Long count, Double share) {
        return (count != null && failed > count) || (share != null && fraction > share);
    }

    /** The thresholds as the catalog and messages show them: {@code max_fail_fraction=0.01, warn_fail_count=5}. */
    String describe() {
        StringBuilder text = new StringBuilder();
        append(text, "max_fail_count", maxFailCount);
        append(text, "max_fail_fraction", maxFailFraction);
        append(text, "warn_fail_count", warnFailCount);
        append(text, "warn_fail_fraction", warnFailFraction);
        return text.length() == 0 ? "no failing rows allowed" : text.toString();
    }

    private static void append(StringBuilder text, String name, Object value) {
        if (value != null) {
            text.append(text.length() == 0 ? "" : ", ").append(name).append('=').append(value);
        }
    }
}
