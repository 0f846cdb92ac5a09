package dev.sluice.quality;

import dev.sluice.engine.Dialect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rules of one model compiled for one relation: a single scan computes every row rule's failing count and
 * every metric at once; rules written as queries add one count query each. Immutable. The caller runs the SQL
 * and hands the numbers to {@link #judge}.
 */
public final class Gate {
    /** The prefix of Sluice's helper columns in the queries a gate writes, left out of samples. */
    public static final String HELPER_PREFIX = "__sluice_";
    private static final String FLAG = "__sluice_r";
    /** Stands, in a rule's joins, for the relation the gate checks. */
    static final String RELATION = "__sluice_relation_under_test";
    private static final String ROW_ID = "__sluice_rowid";
    /** A relationships rule's checked column in the scan that probes with inner joins. */
    private static final String LOOKUP = "__sluice_l";
    private static final Pattern WITH = Pattern.compile("WITH\\s+(RECURSIVE\\s+)?", Pattern.CASE_INSENSITIVE);

    private final List<Rule> rules;
    private final String relation;
    /** The engine's SQL for the gate's own constructs (row identity, literals, string aggregation). */
    private final Dialect dialect;
    /** The engine's row identity ({@code Dialect.rowId}), which quarantine deletes failing rows by. */
    private final String rowId;
    private final List<Rule> rowRules = new ArrayList<>();
    private final List<Metric> metrics = new ArrayList<>();
    private final List<Rule> queryRules = new ArrayList<>();
    /** The distinct lookups of the relationships rules, each counted once by one inner join (rules share it). */
    private final List<Rule.Lookup> lookups = new ArrayList<>();

    /**
     * @param relation the quoted relation the rules check ({@code "marts"."orders__sluice_staging"})
     * @param dialect the engine's SQL, the one the rules were compiled to; its row identity ({@code Dialect.rowId}) is
     *     read as {@code t.<rowId>}
     */
    public Gate(List<Rule> rules, String relation, Dialect dialect) {
        this.rules = List.copyOf(rules);
        this.relation = relation;
        this.dialect = dialect;
        this.rowId = dialect.rowId();
        metrics.add(Metric.rowCount());
        for (Rule rule : this.rules) {
            switch (rule.check().kind()) {
                case ROW -> {
                    rowRules.add(rule);
                    Rule.Lookup lookup = ((Rule.RowCondition) rule.check()).lookup();
                    if (lookup != null && !lookups.contains(lookup)) {
                        lookups.add(lookup);
                    }
                }
                case BOUNDS -> addMetric(((Rule.Bounds) rule.check()).metric());
                case ANOMALY -> addMetric(((Rule.Anomaly) rule.check()).metric());
                case QUERY -> queryRules.add(rule);
                case SCHEMA -> {
                    // Judged from the relation's columns; nothing to scan.
                }
            }
        }
    }

    private void addMetric(Metric metric) {
        if (!metrics.contains(metric)) {
            metrics.add(metric);
        }
    }

    public List<Rule> rules() {
        return rules;
    }

    public boolean needsRowIds() {
        return rules.stream().anyMatch(rule -> rule.severity() == Severity.QUARANTINE);
    }

    /** The relation with one flag column per row rule (true = failing) and, for quarantine, the row id. */
    private String checked() {
        return checked(false);
    }

    /**
     * {@link #checked()}; with {@code probed}, the rules with a lookup get no flag (nor LEFT JOIN) but their checked
     * column as {@code __sluice_l<j>}, for the scan that counts their matches with inner joins.
     */
    private String checked(boolean probed) {
        StringBuilder sql = new StringBuilder("SELECT ");
        if (needsRowIds()) {
            sql.append("t.").append(rowId).append(" AS ").append(ROW_ID).append(", ");
        }
        sql.append("t.*");
        List<String> joins = new ArrayList<>();
        for (int i = 0; i < rowRules.size(); i++) {
            Rule.RowCondition row = (Rule.RowCondition) rowRules.get(i).check();
            if (probed && row.lookup() != null) {
                continue;
            }
            sql.append(", coalesce(").append(row.failing()).append(", FALSE) AS ").append(FLAG).append(i);
            row.joins().stream().filter(join -> !joins.contains(join)).forEach(joins::add);
        }
        for (int j = 0; probed && j < lookups.size(); j++) {
            sql.append(", ").append(lookups.get(j).column()).append(" AS ").append(LOOKUP).append(j);
        }
        sql.append(" FROM ").append(relation).append(" AS t");
        joins.forEach(join -> sql.append(' ').append(join.replace(RELATION, relation)));
        return sql.toString();
    }

    /**
     * The single scan: failing rows of each row rule, rows failing any of them, then every metric (the first is the
     * row count). A relationships rule is counted as its column's non-NULL values less those an inner join with the
     * target's keys matches, in the same statement: an inner join probes several times faster than the LEFT JOIN that
     * flags each row. When such a rule fails, which rows fail any rule is unknown here (NULL in its place):
     * {@link #scan} then runs {@link #failingAnySql}.
     */
    public String scanSql() {
        if (lookups.isEmpty()) {
            return flagScanSql(true);
        }
        List<String> inner = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        List<String> probes = new ArrayList<>();
        for (int i = 0; i < rowRules.size(); i++) {
            Rule.Lookup lookup = ((Rule.RowCondition) rowRules.get(i).check()).lookup();
            if (lookup == null) {
                inner.add("count(*) FILTER (WHERE " + FLAG + i + ") AS " + FLAG + i);
                columns.add("s." + FLAG + i);
                flags.add(FLAG + i);
            } else {
                int j = lookups.indexOf(lookup);
                columns.add("s." + LOOKUP + j + " - m" + j + ".n");
            }
        }
        inner.add((flags.isEmpty() ? "0" : "count(*) FILTER (WHERE " + String.join(" OR ", flags) + ")") + " AS __sluice_any");
        List<String> allMatched = new ArrayList<>();
        for (int j = 0; j < lookups.size(); j++) {
            Rule.Lookup lookup = lookups.get(j);
            inner.add("count(" + LOOKUP + j + ") AS " + LOOKUP + j);
            allMatched.add("s." + LOOKUP + j + " = m" + j + ".n");
            probes.add("(SELECT count(*) AS n FROM " + relation + " AS t JOIN (" + lookup.keys() + ") AS k ON "
                    + "k.__sluice_k = " + lookup.column() + ") AS m" + j);
        }
        columns.add("CASE WHEN " + String.join(" AND ", allMatched) + " THEN s.__sluice_any END");
        for (int m = 0; m < metrics.size(); m++) {
            inner.add("CAST(" + metrics.get(m).expression() + " AS DOUBLE) AS metric" + m);
            columns.add("s.metric" + m);
        }
        return "SELECT " + String.join(", ", columns) + " FROM (SELECT " + String.join(", ", inner) + " FROM ("
                + checked(true) + ") AS checked) AS s, " + String.join(", ", probes);
    }

    /** Rows failing any row rule, every rule flagged on each row (after a relationships rule found failing rows). */
    public String failingAnySql() {
        return flagScanSql(false);
    }

    /** The scan with every row rule flagged on each row: the counts and metrics too, or rows failing any alone. */
    private String flagScanSql(boolean all) {
        List<String> columns = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < rowRules.size(); i++) {
            columns.add("count(*) FILTER (WHERE " + FLAG + i + ")");
            flags.add(FLAG + i);
        }
        String any = flags.isEmpty() ? "0" : "count(*) FILTER (WHERE " + String.join(" OR ", flags) + ")";
        if (!all) {
            return "SELECT " + any + " FROM (" + checked() + ") AS checked";
        }
        columns.add(any);
        metrics.forEach(metric -> columns.add("CAST(" + metric.expression() + " AS DOUBLE)"));
        return "SELECT " + String.join(", ", columns) + " FROM (" + checked() + ") AS checked";
    }

    /**
     * The scan's row as {@link #judge} reads it: {@code query} runs a statement and returns its single row. One
     * statement, and a second only when a relationships rule has failing rows.
     */
    public List<Object> scan(Function<String, List<Object>> query) {
        List<Object> row = new ArrayList<>(query.apply(scanSql()));
        if (row.get(rowRules.size()) == null) {
            row.set(rowRules.size(), query.apply(failingAnySql()).get(0));
        }
        return row;
    }

    /** One count query per rule written as SQL, in rule order. */
    public List<String> queryCountSqls() {
        return queryRules.stream().map(rule -> "SELECT count(*) FROM (" + withThis(rule) + ") AS failing").toList();
    }

    /**
     * Up to {@code limit} failing rows of a rule that selects rows, without Sluice's helper columns: {@code columns}
     * is the engine's select-list item of every column but those of {@link #HELPER_PREFIX}
     * ({@code Dialect.columnsWithoutPrefix}).
     */
    public String sampleSql(Rule rule, int limit, String columns) {
        String rows = rule.check() instanceof Rule.Query ? withThis(rule)
                : "SELECT * FROM (" + checked() + ") AS checked WHERE " + FLAG + rowRules.indexOf(rule);
        return "SELECT " + columns + " FROM (" + rows + ") AS failing LIMIT " + limit;
    }

    /**
     * The rows to quarantine with the names of the rules they fail, the reasons and the run id, as columns
     * {@code _sluice_rule}, {@code _sluice_reason}, {@code _sluice_run_id}; and their row ids in {@code __sluice_rowid}.
     */
    public String quarantineSql(List<Rule> quarantined, long runId) {
        List<String> parts = new ArrayList<>();
        List<String> rowFlags = new ArrayList<>();
        List<String> ruleNames = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (Rule rule : quarantined) {
            if (rule.check() instanceof Rule.RowCondition row) {
                String flag = FLAG + rowRules.indexOf(rule);
                rowFlags.add(flag);
                ruleNames.add("CASE WHEN " + flag + " THEN " + dialect.stringLiteral(rule.name()) + " END");
                reasons.add("CASE WHEN " + flag + " THEN " + dialect.stringLiteral(row.reason()) + " END");
            } else {
                parts.add("SELECT " + ROW_ID + ", " + dialect.stringLiteral(rule.name()) + " AS rule, "
                        + dialect.stringLiteral("selected by " + rule.name()) + " AS reason FROM (" + withThis(rule)
                        + ") AS q");
            }
        }
        if (!rowFlags.isEmpty()) {
            parts.add(0, "SELECT " + ROW_ID + ", concat_ws(', ', " + String.join(", ", ruleNames) + ") AS rule, "
                    + "concat_ws('; ', " + String.join(", ", reasons) + ") AS reason FROM (" + checked()
                    + ") AS checked WHERE " + String.join(" OR ", rowFlags));
        }
        return "SELECT t.*, f.rule AS _sluice_rule, f.reason AS _sluice_reason, CAST(" + runId
                + " AS BIGINT) AS _sluice_run_id, t." + rowId + " AS " + ROW_ID + " FROM " + relation + " AS t JOIN ("
                + "SELECT " + ROW_ID + ", " + dialect.stringAgg("rule", ", ") + " AS rule, "
                + dialect.stringAgg("reason", "; ") + " AS reason FROM ("
                + String.join(" UNION ALL ", parts) + ") GROUP BY " + ROW_ID + ") AS f ON f." + ROW_ID + " = t." + rowId;
    }

    /** The rule's query with {@code this} defined as the relation under test (with row ids for quarantine). */
    private String withThis(Rule rule) {
        String sql = ((Rule.Query) rule.check()).sql().strip();
        String definition = "this AS (SELECT " + (needsRowIds() ? "t." + rowId + " AS " + ROW_ID + ", " : "") + "t.* FROM "
                + relation + " AS t)";
        Matcher with = WITH.matcher(sql);
        if (with.lookingAt()) {
            // The query's own WITH (any spacing, any case, perhaps RECURSIVE) is merged with the one defining this.
            return "WITH " + (with.group(1) == null ? "" : "RECURSIVE ") + definition + ", "
                    + sql.substring(with.end());
        }
        return "WITH " + definition + " " + sql;
    }

    /**
     * Judges every rule from the scan's single row, the query counts, the relation's actual columns and the
     * metric history; returns the results in rule order and the metrics measured.
     */
    public Outcome judge(List<Object> scan, List<Long> queryCounts, Map<String, String> columns, MetricHistory history) {
        // The scan's columns: each row rule's failing count, rows failing any, then the metrics (row_count first).
        long rows = ((Number) scan.get(rowRules.size() + 1)).longValue();
        Map<Metric, Double> measured = new LinkedHashMap<>();
        int metricStart = rowRules.size() + 1;
        for (int i = 0; i < metrics.size(); i++) {
            Object value = scan.get(metricStart + i);
            measured.put(metrics.get(i), value == null ? null : ((Number) value).doubleValue());
        }
        long failingAny = ((Number) scan.get(rowRules.size())).longValue();
        List<RuleResult> results = new ArrayList<>();
        for (Rule rule : rules) {
            results.add(switch (rule.check().kind()) {
                case ROW -> Judging.rowResult(rule, ((Number) scan.get(rowRules.indexOf(rule))).longValue(), rows,
                        ((Rule.RowCondition) rule.check()).reason());
                case QUERY -> Judging.rowResult(rule, queryCounts.get(queryRules.indexOf(rule)), rows,
                        "selected by the rule's query");
                case BOUNDS -> Judging.bounds(rule, (Rule.Bounds) rule.check(),
                        measured.get(((Rule.Bounds) rule.check()).metric()));
                case ANOMALY -> Judging.anomaly(rule, (Rule.Anomaly) rule.check(),
                        measured.get(((Rule.Anomaly) rule.check()).metric()), history);
                case SCHEMA -> Judging.schema(rule, (Rule.Schema) rule.check(), columns);
            });
        }
        List<MetricValue> values = new ArrayList<>();
        measured.forEach((metric, value) -> values.add(new MetricValue(metric.column(), metric.name(), value)));
        values.add(new MetricValue(null, "failed_rows", (double) failingAny));
        values.add(new MetricValue(null, "fail_fraction", rows == 0 ? 0.0 : (double) failingAny / rows));
        return new Outcome(results, values, rows);
    }

    /** Every rule's result, the metrics measured and the rows checked. */
    public record Outcome(List<RuleResult> results, List<MetricValue> metrics, long rows) {
        public Outcome {
            results = List.copyOf(results);
            metrics = List.copyOf(metrics);
        }

        /** True when no result stops the model. */
        public boolean passed() {
            return results.stream().noneMatch(RuleResult::blocks);
        }

        public List<Rule> quarantined() {
            return results.stream().filter(RuleResult::quarantines).map(RuleResult::rule).toList();
        }
    }
}
