package dev.sluice.quality;

import static dev.sluice.quality.Specs.list;
import static dev.sluice.quality.Specs.parse;
import static dev.sluice.quality.Specs.rule;
import static dev.sluice.quality.Specs.rules;
import static dev.sluice.quality.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import dev.sluice.engine.duckdb.DuckDbDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleParserTest {
    private static final String WHERE = "Cannot read models/orders.sql:3 (quality rule 1 of model orders): ";
    private static final String TYPES = "not_null, unique, accepted_values, range, regex, relationships, row_count, "
            + "freshness, schema, expression, sql, statistic, anomaly";

    static Stream<Arguments> invalid() {
        return Stream.of(
                // rule types
                Arguments.of(spec(), "it names no rule type; use one of " + TYPES),
                Arguments.of(spec("severity", "warn", "name", "x"), "it names no rule type; use one of " + TYPES),
                Arguments.of(spec("not_null", "a", "unique", "b"),
                        "it names several rule types [not_null, unique]; write one rule per list item"),
                Arguments.of(spec("not_nul", "a"), "unknown rule type 'not_nul'; use one of " + TYPES),
                // severity
                Arguments.of(spec("not_null", "a", "severity", "loud"),
                        "severity 'loud' is not one of fail, warn, quarantine"),
                Arguments.of(spec("not_null", "a", "on_fail", "stop"),
                        "severity 'stop' is not one of fail, warn, quarantine"),
                Arguments.of(spec("not_null", "a", "severity", "warn", "on_fail", "warn"),
                        "'severity' and 'on_fail' mean the same; keep one"),
                Arguments.of(spec("row_count", spec("min", 1L), "severity", "quarantine"),
                        "severity quarantine needs a rule that selects rows, and row_count checks the whole table; "
                                + "use fail or warn"),
                Arguments.of(spec("schema", spec("columns", list("a")), "on_fail", "quarantine"),
                        "severity quarantine needs a rule that selects rows, and schema checks the whole table; "
                                + "use fail or warn"),
                // thresholds
                Arguments.of(spec("not_null", "a", "max_fail_count", -1L),
                        "'max_fail_count' must be a whole number of rows, 0 or more, not '-1'"),
                Arguments.of(spec("not_null", "a", "warn_fail_count", new BigDecimal("1.5")),
                        "'warn_fail_count' must be a whole number of rows, 0 or more, not '1.5'"),
                Arguments.of(spec("not_null", "a", "max_fail_count", "many"),
                        "'max_fail_count' must be a number, not 'many'"),
                Arguments.of(spec("not_null", "a", "max_fail_count", null),
                        "max_fail_count needs a number for 'max_fail_count'"),
                Arguments.of(spec("not_null", "a", "max_fail_fraction", 1.5),
                        "'max_fail_fraction' must be a fraction between 0 and 1, not '1.5'"),
                Arguments.of(spec("not_null", "a", "warn_fail_fraction", -0.1),
                        "'warn_fail_fraction' must be a fraction between 0 and 1, not '-0.1'"),
                Arguments.of(spec("not_null", "a", "scope", "everything"),
                        "scope 'everything' is not one of slice, table"),
                Arguments.of(spec("not_null", "a", "scope", "table", "severity", "quarantine"),
                        "scope table checks rows already published, which quarantine cannot set aside; use fail or "
                                + "warn, or scope slice"),
                // columns
                Arguments.of(spec("not_null", list("a", "b"), "name", "both"),
                        "'name' names one rule, but not_null lists 2 columns; split them or drop 'name'"),
                Arguments.of(spec("not_null", null), "not_null needs a column name or a list of them"),
                Arguments.of(spec("not_null", list("a", " ")), "not_null needs a column name or a list of them"),
                Arguments.of(spec("unique", spec("columns", list())), "unique needs a column name or a list of them"),
                Arguments.of(spec("unique", spec("column", "a", "where", "b > 0")),
                        "unknown option 'where' for unique; valid: columns, column"),
                // accepted_values
                Arguments.of(spec("accepted_values", "status"),
                        "accepted_values needs options [column, values], as a map"),
                Arguments.of(spec("accepted_values", spec("column", "status")),
                        "accepted_values needs 'values': a non-empty list"),
                Arguments.of(spec("accepted_values", spec("column", "status", "values", list())),
                        "accepted_values needs 'values': a non-empty list"),
                Arguments.of(spec("accepted_values", spec("column", "status", "values", "new")),
                        "accepted_values needs 'values': a non-empty list"),
                Arguments.of(spec("accepted_values", spec("values", list("new"))), "accepted_values needs 'column'"),
                Arguments.of(spec("accepted_values", spec("column", " ", "values", list("new"))),
                        "accepted_values needs 'column'"),
                Arguments.of(spec("accepted_values", spec("column", list("a"), "values", list("new"))),
                        "accepted_values needs 'column'"),
                Arguments.of(spec("accepted_values", spec("column", spec("a", 1L), "values", list("new"))),
                        "accepted_values needs 'column'"),
                // range
                Arguments.of(spec("range", spec("column", "a", "min", 0L, "inclusive", "yes")),
                        "range option 'inclusive' must be true or false, not 'yes'"),
                Arguments.of(spec("range", spec("column", "a")), "range needs 'min', 'max' or both"),
                Arguments.of(spec("range", spec("column", "a", "minimum", 0L)),
                        "unknown option 'minimum' for range; valid: column, min, max, inclusive"),
                // regex
                Arguments.of(spec("regex", spec("column", "a", "pattern", "[a-")),
                        "pattern '[a-' is not a regular expression: Illegal character range"),
                Arguments.of(spec("regex", spec("column", "a")), "regex needs 'pattern'"),
                // relationships
                Arguments.of(spec("relationships", spec("column", "customer_id", "to", "customer")),
                        "relationships 'to' names 'customer', which is no model or source of the project; name one "
                                + "(as orders or marts.orders)"),
                Arguments.of(spec("relationships", spec("column", "customer_id")), "relationships needs 'to'"),
                // row_count
                Arguments.of(spec("row_count", spec()), "row_count needs 'min', 'max' or both"),
                Arguments.of(spec("row_count", spec("min", "ten")), "'min' must be a number, not 'ten'"),
                Arguments.of(spec("row_count", spec("max", null)), "row_count needs a number for 'max'"),
                Arguments.of(spec("row_count", 10L), "row_count needs options [min, max], as a map"),
                // freshness
                Arguments.of(spec("freshness", spec("column", "d", "max_age", "soon")),
                        "max_age 'soon' is not a duration such as '6 hours' or '2 days'"),
                Arguments.of(spec("freshness", spec("column", "d", "max_age", "2 fortnights")),
                        "max_age '2 fortnights' is not a duration such as '6 hours' or '2 days'"),
                Arguments.of(spec("freshness", spec("column", "d", "max_age", "-2 days")),
                        "max_age '-2 days' is not a duration such as '6 hours' or '2 days'"),
                Arguments.of(spec("freshness", spec("max_age", "1 day")), "freshness needs 'column'"),
                Arguments.of(spec("freshness", spec("column", "d")), "freshness needs 'max_age'"),
                // schema
                Arguments.of(spec("schema", spec("allow_extra", true)),
                        "schema needs 'columns': a list of names or a map of name to type"),
                Arguments.of(spec("schema", spec("columns", "id")),
                        "schema needs 'columns': a list of names or a map of name to type"),
                Arguments.of(spec("schema", spec("columns", list("id"), "allow_extra", "no")),
                        "schema option 'allow_extra' must be true or false, not 'no'"),
                // expression and sql
                Arguments.of(spec("expression", " "), "expression needs its SQL as text"),
                Arguments.of(spec("expression", null), "expression needs its SQL as text"),
                Arguments.of(spec("expression", list("a > 0")), "expression needs its SQL as text"),
                Arguments.of(spec("expression", spec("sql", "a > 0")),
                        "unknown option 'sql' for expression; valid: expression"),
                Arguments.of(spec("expression", spec("expression", "")), "expression needs 'expression'"),
                Arguments.of(spec("sql", spec("query", "SELECT 1")), "sql needs its SQL as text"),
                // statistic
                Arguments.of(spec("statistic", spec("column", "v", "min", 0L)), "statistic needs 'metric'"),
                Arguments.of(spec("statistic", spec("metric", "median", "column", "v", "min", 0L)),
                        "unknown metric 'median'; use one of row_count, mean, stddev, min, max, quantile, "
                                + "distinct_ratio, null_fraction"),
                Arguments.of(spec("statistic", spec("metric", "mean", "min", 0L)), "statistic needs 'column'"),
                Arguments.of(spec("statistic", spec("metric", "quantile", "column", "v", "min", 0L)),
                        "statistic needs a number for 'q'"),
                Arguments.of(spec("statistic", spec("metric", "quantile", "column", "v", "q", 1.5, "min", 0L)),
                        "metric quantile needs 'q' between 0 and 1"),
                Arguments.of(spec("statistic", spec("metric", "quantile", "column", "v", "q", -0.5, "min", 0L)),
                        "metric quantile needs 'q' between 0 and 1"),
                Arguments.of(spec("statistic", spec("metric", "mean", "column", "v")),
                        "statistic needs 'min', 'max' or both"),
                // anomaly
                Arguments.of(spec("anomaly", spec("metric", "row_count", "k", 0L)),
                        "anomaly needs k > 0 and 1 <= min_history <= lookback (k=0.0, min_history=5, lookback=10)"),
                Arguments.of(spec("anomaly", spec("metric", "row_count", "lookback", 0L, "min_history", 1L)),
                        "anomaly needs k > 0 and 1 <= min_history <= lookback (k=3.0, min_history=1, lookback=0)"),
                Arguments.of(spec("anomaly", spec("metric", "row_count", "min_history", 0L)),
                        "anomaly needs k > 0 and 1 <= min_history <= lookback (k=3.0, min_history=0, lookback=10)"),
                Arguments.of(spec("anomaly", spec("metric", "row_count", "min_history", 6L, "lookback", 5L)),
                        "anomaly needs k > 0 and 1 <= min_history <= lookback (k=3.0, min_history=6, lookback=5)"),
                Arguments.of(spec("anomaly", spec("metric", "row_count", "max_change", -0.5)),
                        "anomaly option 'max_change' is a fraction of the last value, 0 or more, not '-0.5'"),
                Arguments.of(spec("anomaly", spec("metric", "row_count", "max_change", null)),
                        "anomaly needs a number for 'max_change'"),
                Arguments.of(spec("anomaly", spec("metric", "row_count", "sigma", 2L)),
                        "unknown option 'sigma' for anomaly; valid: metric, column, q, k, max_change, lookback, "
                                + "min_history"),
                Arguments.of(spec("anomaly", spec("metric", "nulls", "column", "v")),
                        "unknown metric 'nulls'; use one of row_count, mean, stddev, min, max, quantile, "
                                + "distinct_ratio, null_fraction"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void invalidRulesAreProblemsThatSayWhereAndWhy(Map<String, Object> spec, String message) {
        RuleParser.Result result = parse(List.of(spec));
        assertThat(result.rules()).isEmpty();
        assertThat(result.problems()).containsExactly(WHERE + message);
    }

    @Test
    void everyProblemIsCollectedAndValidRulesAreKept() {
        RuleParser.Result result = parse(List.of(spec("not_null", "a"), spec("unique", null),
                spec("not_null", "b"), spec("range", spec("column", "a")), spec("name", "NOT_NULL(A)", "sql", "x")));
        assertThat(result.rules()).extracting(Rule::name).containsExactly("not_null(a)", "not_null(b)");
        assertThat(result.problems()).containsExactly(
                "Cannot read models/orders.sql:3 (quality rule 2 of model orders): unique needs a column name or a "
                        + "list of them",
                "Cannot read models/orders.sql:3 (quality rule 4 of model orders): range needs 'min', 'max' or both",
                "Cannot read models/orders.sql:3 (quality rule 5 of model orders): two rules are named "
                        + "'NOT_NULL(A)'; give one a different 'name'");
    }

    @Test
    void twoNotNullItemsOverTheSameColumnClash() {
        RuleParser.Result result = parse(List.of(spec("not_null", list("a", "b")), spec("not_null", "b")));
        assertThat(result.rules()).extracting(Rule::name).containsExactly("not_null(a)", "not_null(b)");
        assertThat(result.problems()).containsExactly("Cannot read models/orders.sql:3 (quality rule 2 of model "
                + "orders): two rules are named 'not_null(b)'; give one a different 'name'");
    }

    @Test
    void resultsCannotBeChangedAfterwards() {
        RuleParser.Result result = parse(List.of(spec("not_null", "a")));
        assertThatThrownBy(() -> result.rules().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> result.problems().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rulesCarryNameTypeSeverityThresholdsAndLocation() {
        Rule rule = rule(spec("name", "ids_present", "description", "ids are set", "not_null", "id",
                "on_fail", "ERROR", "max_fail_count", 2L, "max_fail_fraction", new BigDecimal("0.5"),
                "warn_fail_count", 0L, "warn_fail_fraction", 0L, "scope", "table"));
        assertThat(rule.name()).isEqualTo("ids_present");
        assertThat(rule.type()).isEqualTo("not_null");
        assertThat(rule.severity()).isEqualTo(Severity.FAIL);
        assertThat(rule.thresholds()).isEqualTo(new Thresholds(2L, 0.5, 0L, 0.0));
        assertThat(rule.location()).isEqualTo("models/orders.sql:3");
        assertThat(rule.check()).isEqualTo(new Rule.RowCondition("\"id\" IS NULL", List.of(), "id is null"));
        assertThat(rule(spec("not_null", "id", "scope", "slice")).thresholds()).isEqualTo(Thresholds.strict());
    }

    @Test
    void severityIsFailByDefaultAndReadFromEitherKey() {
        assertThat(rules(List.of(spec("not_null", "a"), spec("not_null", "b", "severity", "Warn"),
                spec("not_null", "c", "on_fail", "quarantine"), spec("not_null", "d", "severity", "fail"),
                spec("not_null", "e", "on_fail", "warn")))).extracting(Rule::severity)
                .containsExactly(Severity.FAIL, Severity.WARN, Severity.QUARANTINE, Severity.FAIL, Severity.WARN);
        assertThat(rule(spec("name", "rows_aside", "sql", "SELECT * FROM this", "severity", "quarantine")).severity())
                .isEqualTo(Severity.QUARANTINE);
    }

    @Test
    void rowRulesCompileToPredicatesOverQuotedColumns() {
        assertThat(rule(spec("unique", spec("column", "my \"id\""))).check()).isEqualTo(new Rule.RowCondition(
                "__sluice_duplicates_my__id_.__sluice_k0 IS NOT NULL", List.of("LEFT JOIN (SELECT \"my \"\"id\"\"\" AS "
                        + "__sluice_k0 FROM " + Gate.RELATION + " WHERE \"my \"\"id\"\"\" IS NOT NULL GROUP BY ALL HAVING "
                        + "count(*) > 1) AS __sluice_duplicates_my__id_ ON __sluice_duplicates_my__id_.__sluice_k0 = "
                        + "t.\"my \"\"id\"\"\""), "duplicate my \"id\"", null, "my \"id\""));
        assertThat(rule(spec("accepted_values", spec("column", "s", "values", list("it's", 2L, true)))).check())
                .isEqualTo(new Rule.RowCondition("\"s\" NOT IN ('it''s', 2, TRUE)", List.of(),
                        "s not in [it's, 2, true]"));
        assertThat(rule(spec("range", spec("column", "a", "min", new BigDecimal("1.50"), "max", 1e3,
                "inclusive", false))).check()).isEqualTo(new Rule.RowCondition("\"a\" <= 1.50 OR \"a\" >= 1000.0",
                List.of(), "a outside (1.50, 1000.0)"));
        assertThat(rule(spec("range", spec("column", "d", "min", LocalDate.of(2024, 1, 31)))).check())
                .isEqualTo(new Rule.RowCondition("\"d\" < DATE '2024-01-31'", List.of(), "d outside [2024-01-31, ]"));
        assertThat(rule(spec("regex", spec("column", "e", "pattern", "it's"))).check()).isEqualTo(
                new Rule.RowCondition("NOT (CAST(\"e\" AS VARCHAR) = 'it''s')", List.of(),
                        "e does not match it's"));
        assertThat(rule(spec("expression", "a < b")).check()).isEqualTo(new Rule.RowCondition("NOT (a < b)",
                List.of(), "not a < b"));
        assertThat(rule(spec("sql", "SELECT * FROM this")).check()).isEqualTo(new Rule.Query("SELECT * FROM this"));
    }

    @Test
    void relationshipsJoinTheTargetOnceUnderAnAliasOfItsOwn() {
        Rule rule = rule(spec("relationships", spec("column", "order_id", "to", "marts.orders", "field", "id")));
        assertThat(rule.name()).isEqualTo("relationships(order_id)");
        assertThat(rule.check()).isEqualTo(new Rule.RowCondition(
                "t.\"order_id\" IS NOT NULL AND __sluice_order_id_marts_orders.__sluice_k IS NULL",
                List.of("LEFT JOIN (SELECT DISTINCT __sluice_to.\"id\" AS __sluice_k FROM \"marts\".\"orders\" AS "
                        + "__sluice_to) AS __sluice_order_id_marts_orders ON __sluice_order_id_marts_orders.__sluice_k"
                        + " = t.\"order_id\""),
                "order_id has no match in marts.orders.id", new Rule.Lookup("t.\"order_id\"",
                        "SELECT DISTINCT __sluice_to.\"id\" AS __sluice_k FROM \"marts\".\"orders\" AS __sluice_to")));
    }

    private static Map<String, String> columns(String... namesAndTypes) {
        Map<String, String> columns = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            columns.put(namesAndTypes[i], namesAndTypes[i + 1]);
        }
        return columns;
    }

    @Test
    void tableRulesCompileToBoundsOnMetrics() {
        assertThat(rule(spec("row_count", spec("min", 1L))).check())
                .isEqualTo(new Rule.Bounds(Metric.rowCount(), 1.0, null));
        assertThat(rule(spec("statistic", spec("metric", "Quantile", "column", "v", "q", 0.9, "max", 5L))).check())
                .isEqualTo(new Rule.Bounds(Metric.of("quantile", "v", 0.9, DuckDbDialect.INSTANCE), null, 5.0));
        assertThat(rule(spec("schema", spec("columns", spec("id", "INTEGER", "note", null)))).check())
                .isEqualTo(new Rule.Schema(columns("id", "INTEGER", "note", null), true));
        assertThat(rule(spec("schema", spec("columns", list("id", "note"), "allow_extra", false))).check())
                .isEqualTo(new Rule.Schema(columns("id", null, "note", null), false));
        assertThat(rule(spec("anomaly", spec("metric", "null_fraction", "column", "v"))).check())
                .isEqualTo(new Rule.Anomaly(Metric.of("null_fraction", "v", null, DuckDbDialect.INSTANCE), 3.0, null, 10, 5));
        assertThat(rule(spec("anomaly", spec("metric", "row_count", "k", 2.5, "max_change", 0.1, "lookback", 3L,
                "min_history", 3L))).check()).isEqualTo(new Rule.Anomaly(Metric.rowCount(), 2.5, 0.1, 3, 3));
    }

    static Stream<Arguments> durations() {
        return Stream.of(Arguments.of("30 seconds", 30.0), Arguments.of("1 second", 1.0),
                Arguments.of("5 Minutes", 300.0), Arguments.of(" 6 hours ", 21_600.0), Arguments.of("1day", 86_400.0),
                Arguments.of("2 weeks", 1_209_600.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durations")
    void freshnessReadsDurations(String duration, double seconds) {
        assertThat(rule(spec("freshness", spec("column", "ts", "max_age", duration))).check())
                .isEqualTo(new Rule.Bounds(Metric.age("ts", DuckDbDialect.INSTANCE), null, seconds));
    }

    @Test
    void namesAreDerivedFromTypeMetricAndColumns() {
        assertThat(rules(List.of(
                spec("unique", "id"),
                spec("unique", list("a", "b")),
                spec("unique", spec("columns", list("c", "d"))),
                spec("range", spec("column", "a", "min", 0L)),
                spec("statistic", spec("metric", "mean", "column", "a", "min", 0L)),
                spec("statistic", spec("metric", "row_count", "min", 0L)),
                spec("anomaly", spec("metric", "row_count")),
                spec("row_count", spec("min", 0L)),
                spec("schema", spec("columns", list("a"))),
                spec("expression", "a > 0"),
                spec("sql", "SELECT * FROM this")))).extracting(Rule::name, Rule::type).containsExactly(
                        tuple("unique(id)", "unique"), tuple("unique(a, b)", "unique"),
                        tuple("unique(c, d)", "unique"), tuple("range(a)", "range"),
                        tuple("statistic(mean, a)", "statistic"), tuple("statistic(row_count)", "statistic"),
                        tuple("anomaly(row_count)", "anomaly"), tuple("row_count", "row_count"),
                        tuple("schema", "schema"), tuple("expression", "expression"), tuple("sql", "sql"));
    }

    @Test
    void rulesRefuseMissingParts() {
        assertThatThrownBy(() -> new Rule(null, "sql", Severity.FAIL, Thresholds.strict(), new Rule.Query("x"), "f", Rule.Scope.SLICE))
                .isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> new Rule("n", "sql", Severity.FAIL, null, new Rule.Query("x"), "f", Rule.Scope.SLICE))
                .isInstanceOf(NullPointerException.class).hasMessage("thresholds");
        Rule rule = new Rule("n", "sql", Severity.FAIL, Thresholds.strict(), new Rule.Query("x"), "f", Rule.Scope.SLICE);
        assertThatThrownBy(() -> new RuleResult(rule, 1, 0, null, "m")).isInstanceOf(NullPointerException.class)
                .hasMessage("verdict");
    }

    @Test
    void aWarnRulePastItsLimitWarnsAndNeverFails() {
        Rule warn = new Rule("w", "sql", Severity.WARN, Thresholds.strict(), new Rule.Query("x"), "f", Rule.Scope.SLICE);
        Rule fail = new Rule("f", "sql", Severity.FAIL, Thresholds.strict(), new Rule.Query("x"), "f", Rule.Scope.SLICE);
        assertThat(new RuleResult(warn, 10, 3, Verdict.FAIL, "m")).extracting(RuleResult::verdict, RuleResult::blocks)
                .containsExactly(Verdict.WARN, false);
        assertThat(new RuleResult(fail, 10, 3, Verdict.FAIL, "m")).extracting(RuleResult::verdict, RuleResult::blocks)
                .containsExactly(Verdict.FAIL, true);
        assertThat(new RuleResult(fail, 10, 3, Verdict.WARN, "m")).extracting(RuleResult::verdict, RuleResult::blocks)
                .containsExactly(Verdict.WARN, false);
    }

    @Test
    void scopeDefaultsToTheSliceAndMayBeTheWholeTable() {
        assertThat(rule(spec("not_null", "id")).scope()).isEqualTo(Rule.Scope.SLICE);
        assertThat(rule(spec("not_null", "id", "scope", "slice")).scope()).isEqualTo(Rule.Scope.SLICE);
        assertThat(rule(spec("row_count", spec("min", 1), "scope", "table")).scope()).isEqualTo(Rule.Scope.TABLE);
    }
}
