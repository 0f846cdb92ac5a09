package dev.sluice.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** One rule's verdict and message from the numbers {@link Gate#judge} read, by kind of rule. */
final class Judging {
    private Judging() {
    }

    static RuleResult rowResult(Rule rule, long failed, long rows, String reason) {
        Verdict verdict = rule.thresholds().judge(failed, rows);
        boolean noErrorLimit = rule.thresholds().maxFailCount() == null && rule.thresholds().maxFailFraction() == null;
        if (rule.severity() == Severity.QUARANTINE && failed > 0 && (verdict == Verdict.PASS || noErrorLimit)) {
            // Failing rows are set aside and the rest published: worth a warning, unless an error limit is exceeded.
            verdict = Verdict.WARN;
        }
        String message = String.format(Locale.ROOT, "%d of %d rows fail (%.4f%%): %s; threshold: %s", failed, rows,
                rows == 0 ? 0.0 : 100.0 * failed / rows, reason, rule.thresholds().describe());
        return new RuleResult(rule, rows, failed, verdict, message);
    }

    static RuleResult bounds(Rule rule, Rule.Bounds bounds, Double value) {
        boolean outside = value == null || (bounds.min() != null && value < bounds.min())
                || (bounds.max() != null && value > bounds.max());
        String message = String.format(Locale.ROOT, "%s%s is %s; expected within [%s, %s]", bounds.metric().name(),
                bounds.metric().column() == null ? "" : " of " + bounds.metric().column(),
                value == null ? "undefined (no rows)" : format(value), bounds.min() == null ? "" : format(bounds.min()),
                bounds.max() == null ? "" : format(bounds.max()));
        return new RuleResult(rule, 1, outside ? 1 : 0, outside ? Verdict.FAIL : Verdict.PASS, message);
    }

    static RuleResult anomaly(Rule rule, Rule.Anomaly anomaly, Double value, MetricHistory history) {
        Metric metric = anomaly.metric();
        List<Double> past = history.last(metric.column(), metric.name(), anomaly.lookback()).stream()
                .filter(java.util.Objects::nonNull).toList();
        String subject = metric.name() + (metric.column() == null ? "" : " of " + metric.column());
        if (past.size() < anomaly.minHistory()) {
            return new RuleResult(rule, 1, 0, Verdict.PASS, String.format(Locale.ROOT,
                    "%s is %s; not enough history to judge (%d of %d runs needed), passing", subject,
                    value == null ? "undefined" : format(value), past.size(), anomaly.minHistory()));
        }
        if (value == null) {
            return new RuleResult(rule, 1, 1, Verdict.FAIL, subject + " is undefined (no rows); history has values");
        }
        boolean anomalous;
        String expectation;
        if (anomaly.maxChange() != null) {
            double last = past.get(0);
            double change = last == 0 ? (value == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.abs(value - last) / Math.abs(last);
            anomalous = change > anomaly.maxChange();
            expectation = String.format(Locale.ROOT, "changed by %s%% since the last run (%s); allowed %s%%",
                    format(change * 100), format(last), format(anomaly.maxChange() * 100));
        } else {
            double mean = past.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double variance = past.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / past.size();
            double deviation = Math.sqrt(variance);
            anomalous = Math.abs(value - mean) > anomaly.sigmas() * deviation;
            expectation = String.format(Locale.ROOT, "the last %d runs averaged %s with standard deviation %s; allowed "
                    + "%s sigma", past.size(), format(mean), format(deviation), format(anomaly.sigmas()));
        }
        return new RuleResult(rule, 1, anomalous ? 1 : 0, anomalous ? Verdict.FAIL : Verdict.PASS,
                subject + " is " + format(value) + (anomalous ? ", an anomaly: " : ", as expected: ") + expectation);
    }

    static RuleResult schema(Rule rule, Rule.Schema schema, Map<String, String> actual) {
        Map<String, String> found = new LinkedHashMap<>();
        actual.forEach((name, type) -> found.put(name.toLowerCase(Locale.ROOT), type));
        List<String> problems = new ArrayList<>();
        schema.columns().forEach((name, type) -> {
            String actualType = found.get(name.toLowerCase(Locale.ROOT));
            if (actualType == null) {
                problems.add("missing column " + name);
            } else if (type != null && !type.equalsIgnoreCase(actualType)) {
                problems.add("column " + name + " is " + actualType + ", expected " + type);
            }
        });
        if (!schema.allowExtra()) {
            Set<String> expected = schema.columns().keySet().stream().map(c -> c.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toSet());
            new TreeSet<>(found.keySet()).stream().filter(c -> !expected.contains(c))
                    .forEach(c -> problems.add("unexpected column " + c));
        }
        String message = problems.isEmpty() ? "columns as expected" : String.join("; ", problems);
        return new RuleResult(rule, 1, problems.isEmpty() ? 0 : 1, problems.isEmpty() ? Verdict.PASS : Verdict.FAIL,
                message);
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.6g", value);
    }
}
