package dev.sluice.quality;

import dev.sluice.engine.Dialect;
import dev.sluice.engine.Sql;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    /** A unique rule's key column in the scan that counts its distinct values in a bitmap. */
    private static final String DISTINCT = "__sluice_d";
    /** The integer types whose every value a long holds: the keys a bitmap may count. */
    private static final Set<String> INTEGER_TYPES = Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT",
            "USMALLINT", "UINTEGER");
    /** The widest bitmap: DuckDB's bitstring_agg refuses a range of more than 10^9 values. */
    private static final double MAX_BITS = 1e9;
    /**
     * Bits of bitmap allowed per key: at 64 (8 bytes a key) the bitmap is still smaller than the hash table it replaces
     * (a key and its count, 16 bytes and more a key), and setting a bit is far cheaper than hashing a key.
     */
    private static final double BITS_PER_KEY = 64;
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
        return checked(i -> true, false, Map.of());
    }

    /**
     * {@link #checked()} with only the row rules {@code flagged} (by index) flagged and joined; with {@code apart}, the
     * rules counted apart get no flag (nor LEFT JOIN): a rule with a lookup its checked column as {@code __sluice_l<j>},
     * a rule of {@code counted} its key as {@code __sluice_d<i>}.
     */
    private String checked(IntPredicate flagged, boolean apart, Map<Integer, String> counted) {
        StringBuilder sql = new StringBuilder("SELECT ");
        if (needsRowIds()) {
            sql.append("t.").append(rowId).append(" AS ").append(ROW_ID).append(", ");
        }
        sql.append("t.*");
        List<String> joins = new ArrayList<>();
        for (int i = 0; i < rowRules.size(); i++) {
            Rule.RowCondition row = (Rule.RowCondition) rowRules.get(i).check();
            if (!flagged.test(i) || apart && row.lookup() != null) {
                continue;
            }
            if (counted.containsKey(i)) {
                sql.append(", t.").append(Sql.identifier(row.key())).append(" AS ").append(DISTINCT).append(i);
                continue;
            }
            sql.append(", coalesce(").append(row.failing()).append(", FALSE) AS ").append(FLAG).append(i);
            row.joins().stream().filter(join -> !joins.contains(join)).forEach(joins::add);
        }
        for (int j = 0; apart && j < lookups.size(); j++) {
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
     * {@link #scan} then runs {@link #exactScanSql}.
     */
    public String scanSql() {
        return scanSql(Map.of());
    }

    /**
     * {@link #scanSql()}, with the unique rules of {@code counted} (row rule index → the aggregate counting its key's
     * distinct values in a bitmap) counted apart too: no failing row when every non-NULL key is distinct, else unknown
     * (NULL), and so are the rows failing any rule.
     */
    private String scanSql(Map<Integer, String> counted) {
        if (lookups.isEmpty() && counted.isEmpty()) {
            return exactScanSql();
        }
        List<String> inner = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        List<String> from = new ArrayList<>();
        // What makes the rows failing any rule known: every rule counted apart found no failing row.
        List<String> exact = new ArrayList<>();
        for (int i = 0; i < rowRules.size(); i++) {
            Rule.Lookup lookup = ((Rule.RowCondition) rowRules.get(i).check()).lookup();
            if (counted.containsKey(i)) {
                inner.add("CASE WHEN count(" + DISTINCT + i + ") = " + counted.get(i) + " THEN CAST(0 AS BIGINT) END AS "
                        + DISTINCT + i);
                columns.add("s." + DISTINCT + i);
                exact.add("s." + DISTINCT + i + " = 0");
            } else if (lookup == null) {
                inner.add("count(*) FILTER (WHERE " + FLAG + i + ") AS " + FLAG + i);
                columns.add("s." + FLAG + i);
                flags.add(FLAG + i);
            } else {
                int j = lookups.indexOf(lookup);
                columns.add("s." + LOOKUP + j + " - m" + j + ".n");
            }
        }
        inner.add((flags.isEmpty() ? "0" : "count(*) FILTER (WHERE " + String.join(" OR ", flags) + ")") + " AS __sluice_any");
        for (int j = 0; j < lookups.size(); j++) {
            Rule.Lookup lookup = lookups.get(j);
            inner.add("count(" + LOOKUP + j + ") AS " + LOOKUP + j);
            exact.add("s." + LOOKUP + j + " = m" + j + ".n");
            from.add("(SELECT count(*) AS n FROM " + relation + " AS t JOIN (" + lookup.keys() + ") AS k ON "
                    + "k.__sluice_k = " + lookup.column() + ") AS m" + j);
        }
        columns.add("CASE WHEN " + String.join(" AND ", exact) + " THEN s.__sluice_any END");
        for (int m = 0; m < metrics.size(); m++) {
            inner.add("CAST(" + metrics.get(m).expression() + " AS DOUBLE) AS metric" + m);
            columns.add("s.metric" + m);
        }
        from.add(0, "(SELECT " + String.join(", ", inner) + " FROM (" + checked(i -> true, true, counted)
                + ") AS checked) AS s");
        return "SELECT " + String.join(", ", columns) + " FROM " + String.join(", ", from);
    }

    /**
     * The scan with every row rule flagged on each row (LEFT JOINs for relationships, grouped keys for unique): each
     * rule's exact count, rows failing any, and the metrics. {@link #scan} runs it when the rules counted apart found
     * failing rows.
     */
    public String exactScanSql() {
        List<String> columns = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < rowRules.size(); i++) {
            columns.add("count(*) FILTER (WHERE " + FLAG + i + ")");
            flags.add(FLAG + i);
        }
        columns.add(flags.isEmpty() ? "0" : "count(*) FILTER (WHERE " + String.join(" OR ", flags) + ")");
        metrics.forEach(metric -> columns.add("CAST(" + metric.expression() + " AS DOUBLE)"));
        return "SELECT " + String.join(", ", columns) + " FROM (" + checked() + ") AS checked";
    }

    /**
     * The scan's row as {@link #judge} reads it: {@code query} runs a statement and returns its single row;
     * {@code columns} are the relation's columns and their types (DuckDB's names). A unique rule over one integer
     * column is counted in a bitmap when the engine has one and the keys are dense (a range of at most 64 values a
     * key, 10^9 at most): a first statement reads the keys' bounds, and the scan sets one bit per key instead of
     * grouping the keys in a hash table. One scan answers every number; only when a rule counted apart
     * (relationships, a bitmap) finds failing rows does a last statement flag every rule on each row, for exact counts.
     */
    public List<Object> scan(Function<String, List<Object>> query, Map<String, String> columns) {
        boolean bitmaps = dialect.distinctIntegers(DISTINCT, 0, 0).isPresent();
        List<Integer> keyed = new ArrayList<>();
        List<String> bounds = new ArrayList<>();
        for (int i = 0; i < rowRules.size(); i++) {
            String key = ((Rule.RowCondition) rowRules.get(i).check()).key();
            if (bitmaps && key != null && INTEGER_TYPES.contains(type(columns, key))) {
                keyed.add(i);
                String column = "t." + Sql.identifier(key);
                bounds.add("min(" + column + "), max(" + column + "), count(" + column + ")");
            }
        }
        Map<Integer, String> counted = new LinkedHashMap<>();
        if (!keyed.isEmpty()) {
            List<Object> row = query.apply("SELECT " + String.join(", ", bounds) + " FROM " + relation + " AS t");
            for (int k = 0; k < keyed.size(); k++) {
                // No key at all (NULL bounds): nothing to count, the grouped form costs nothing.
                if (row.get(3 * k) != null) {
                    long min = ((Number) row.get(3 * k)).longValue();
                    long max = ((Number) row.get(3 * k + 1)).longValue();
                    double range = (double) max - min;
                    if (range < MAX_BITS && range < BITS_PER_KEY * ((Number) row.get(3 * k + 2)).longValue()) {
                        counted.put(keyed.get(k), dialect.distinctIntegers(DISTINCT + keyed.get(k), min, max)
                                .orElseThrow());
                    }
                }
            }
        }
        List<Object> row = query.apply(scanSql(counted));
        // A rule counted apart that found failing rows leaves a count, or the rows failing any rule, unknown (NULL).
        return row.subList(0, rowRules.size() + 1).contains(null) ? query.apply(exactScanSql()) : row;
    }

    /** The type of the column named {@code name} (any case) in {@code columns}, upper case; empty when absent. */
    private static String type(Map<String, String> columns, String name) {
        return columns.entrySet().stream().filter(column -> column.getKey().equalsIgnoreCase(name))
                .map(column -> column.getValue().toUpperCase(Locale.ROOT)).findFirst().orElse("");
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
        int index = rowRules.indexOf(rule);
        // Only this rule's flag and joins: a sample stops reading once it has its rows, instead of first waiting for
        // another rule's join to be built (a unique rule's grouped keys: a pass over the whole table per sample).
        String rows = rule.check() instanceof Rule.Query ? withThis(rule)
                : "SELECT * FROM (" + checked(i -> i == index, false, Map.of()) + ") AS checked WHERE " + FLAG + index;
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
