package dev.sluice.quality;

import static dev.sluice.quality.Specs.list;
import static dev.sluice.quality.Specs.rule;
import static dev.sluice.quality.Specs.rules;
import static dev.sluice.quality.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.sluice.engine.Dialect;
import dev.sluice.engine.duckdb.DuckDbDialect;
import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Gates compiled from parsed rules, their SQL run on small DuckDB tables, and the real numbers judged. */
class GateTest {
    private static final String NULLS = "\"main\".\"nulls\"";
    private static final String HELPERS_LEFT_OUT = DuckDbDialect.INSTANCE.columnsWithoutPrefix(Gate.HELPER_PREFIX);
    private static DuckDbEngine engine;
    private static Session session;

    @BeforeAll
    static void data() {
        engine = DuckDbEngine.inMemory();
        session = engine.session();
        // Ten rows; column nK has K NULLs (ids 1..K).
        session.execute("CREATE TABLE nulls AS SELECT i AS id, i AS n0, CASE WHEN i > 1 THEN i END AS n1, "
                + "CASE WHEN i > 2 THEN i END AS n2, CASE WHEN i > 3 THEN i END AS n3 FROM range(1, 11) AS r(i)");
        session.execute("CREATE TABLE empty (id INTEGER, v DOUBLE, d DATE)");
        session.execute("CREATE TABLE keys (id INTEGER, a INTEGER, b VARCHAR)");
        session.execute("INSERT INTO keys VALUES (1, 1, 'x'), (2, 1, 'x'), (2, 1, 'y'), (3, 2, NULL), (4, 2, NULL), "
                + "(NULL, 3, 'z'), (NULL, 4, 'z')");
        session.execute("CREATE TABLE statuses (id INTEGER, status VARCHAR, code INTEGER)");
        session.execute("INSERT INTO statuses VALUES (1, 'new', 1), (2, 'paid', 2), (3, 'lost', 3), (4, NULL, 1)");
        session.execute("CREATE TABLE amounts (amount INTEGER, total INTEGER, day DATE)");
        session.execute("INSERT INTO amounts VALUES (-1, 0, DATE '2024-01-01'), (0, 0, DATE '2024-02-01'), "
                + "(5, 9, DATE '2024-03-01'), (10, 9, DATE '2024-04-01'), (11, 20, DATE '2024-05-01'), "
                + "(NULL, 1, NULL)");
        session.execute("CREATE TABLE emails (email VARCHAR, zip INTEGER)");
        session.execute("INSERT INTO emails VALUES ('ann@example.com', 12345), ('not an email', 1234), "
                + "(NULL, NULL), ('bob@example.com', 54321)");
        session.execute("CREATE TABLE customers (customer_id INTEGER, code VARCHAR)");
        session.execute("INSERT INTO customers VALUES (1, 'A'), (2, 'B')");
        session.execute("CREATE TABLE orders (id INTEGER, customer_id INTEGER, customer_code VARCHAR)");
        session.execute("INSERT INTO orders VALUES (1, 1, 'A'), (2, 2, 'C'), (3, 3, 'B'), (4, NULL, NULL), "
                + "(5, 1, 'A')");
        session.execute("CREATE TABLE fresh (d DATE, ts TIMESTAMP)");
        session.execute("INSERT INTO fresh VALUES (current_date - 3, CAST(now() AS TIMESTAMP) - INTERVAL 2 HOUR), "
                + "(current_date - 5, CAST(now() AS TIMESTAMP) - INTERVAL 30 HOUR)");
        session.execute("CREATE TABLE typed (id INTEGER, name VARCHAR, amount DECIMAL(10,2))");
        session.execute("CREATE TABLE stats (v DOUBLE, k VARCHAR)");
        session.execute("INSERT INTO stats VALUES (1, 'a'), (2, 'a'), (3, 'b'), (4, 'c'), (NULL, NULL)");
        session.execute("CREATE TABLE q (id INTEGER, a INTEGER, b VARCHAR)");
        session.execute("INSERT INTO q VALUES (1, NULL, 'x'), (2, 5, 'x'), (3, NULL, 'bad'), (4, 50, 'x'), "
                + "(5, 1, 'x'), (6, 2, 'x')");
        // Keys 1..1000 once each and a NULL row; repeated: key 7 once more.
        session.execute("CREATE TABLE dense AS SELECT CAST(i AS BIGINT) AS id, 'k' || i AS code FROM range(1, 1001) "
                + "AS r(i) UNION ALL SELECT NULL, NULL");
        session.execute("CREATE TABLE repeated AS SELECT * FROM dense UNION ALL SELECT 7, 'k7'");
        // Three keys over a range of 999 (more than 64 values a key), and over 3e9 (more than a bitmap holds).
        session.execute("CREATE TABLE sparse AS SELECT CAST(id AS SMALLINT) AS id FROM (VALUES (1), (1000), (1000)) "
                + "AS v(id)");
        session.execute("CREATE TABLE huge AS SELECT CAST(id AS BIGINT) AS id FROM (VALUES (1), (3000000000), "
                + "(3000000000)) AS v(id)");
    }

    @AfterAll
    static void close() {
        session.close();
        engine.close();
    }

    private static String table(String name) {
        return "\"main\".\"" + name + "\"";
    }

    /** Reads the relation's columns, runs the gate's scan and count queries and judges, as the runner does. */
    private static Gate.Outcome judge(Gate gate, String relation, MetricHistory history) {
        Map<String, String> columns = columns(relation);
        List<Object> scan = gate.scan(sql -> session.query(sql).values().get(0), columns);
        List<Long> counts = gate.queryCountSqls().stream().map(sql -> session.query(sql).singleLong()).toList();
        return gate.judge(scan, counts, columns, history);
    }

    private static Map<String, String> columns(String relation) {
        Map<String, String> columns = new LinkedHashMap<>();
        session.query("DESCRIBE " + relation).values().forEach(row -> columns.put((String) row.get(0),
                (String) row.get(1)));
        return columns;
    }

    /** The gate's scan as the runner runs it; each statement it runs is added to {@code statements}. */
    private static List<Object> scan(Gate gate, String relation, List<String> statements) {
        return gate.scan(sql -> {
            statements.add(sql);
            return session.query(sql).values().get(0);
        }, columns(relation));
    }

    private static Gate.Outcome judge(String relation, List<Rule> rules) {
        return judge(gate(rules, relation), relation, MetricHistory.NONE);
    }

    private static RuleResult only(String relation, Map<String, Object> spec) {
        Gate.Outcome outcome = judge(relation, List.of(rule(spec)));
        assertThat(outcome.results()).hasSize(1);
        return outcome.results().get(0);
    }

    private static Double metric(Gate.Outcome outcome, String column, String name) {
        return outcome.metrics().stream().filter(m -> m.metric().equals(name) && java.util.Objects.equals(column,
                m.column())).findFirst().orElseThrow().value();
    }

    static Stream<Arguments> thresholds() {
        return Stream.of(
                Arguments.of("n0", spec(), Verdict.PASS, "0 of 10 rows fail (0.0000%): n0 is null; "
                        + "threshold: no failing rows allowed"),
                Arguments.of("n1", spec(), Verdict.FAIL, "1 of 10 rows fail (10.0000%): n1 is null; "
                        + "threshold: no failing rows allowed"),
                Arguments.of("n0", spec("max_fail_count", 1L), Verdict.PASS, "0 of 10 rows fail (0.0000%): n0 is null; "
                        + "threshold: max_fail_count=1"),
                Arguments.of("n1", spec("max_fail_count", 1L), Verdict.PASS, "1 of 10 rows fail (10.0000%): n1 is null; "
                        + "threshold: max_fail_count=1"),
                Arguments.of("n2", spec("max_fail_count", 1L), Verdict.FAIL, "2 of 10 rows fail (20.0000%): n2 is null; "
                        + "threshold: max_fail_count=1"),
                Arguments.of("n1", spec("max_fail_fraction", new BigDecimal("0.1")), Verdict.PASS,
                        "1 of 10 rows fail (10.0000%): n1 is null; threshold: max_fail_fraction=0.1"),
                Arguments.of("n2", spec("max_fail_fraction", new BigDecimal("0.1")), Verdict.FAIL,
                        "2 of 10 rows fail (20.0000%): n2 is null; threshold: max_fail_fraction=0.1"),
                Arguments.of("n0", spec("max_fail_count", 2L, "warn_fail_count", 0L), Verdict.PASS,
                        "0 of 10 rows fail (0.0000%): n0 is null; threshold: max_fail_count=2, warn_fail_count=0"),
                Arguments.of("n1", spec("max_fail_count", 2L, "warn_fail_count", 0L), Verdict.WARN,
                        "1 of 10 rows fail (10.0000%): n1 is null; threshold: max_fail_count=2, warn_fail_count=0"),
                Arguments.of("n2", spec("max_fail_count", 2L, "warn_fail_count", 0L), Verdict.WARN,
                        "2 of 10 rows fail (20.0000%): n2 is null; threshold: max_fail_count=2, warn_fail_count=0"),
                Arguments.of("n3", spec("max_fail_count", 2L, "warn_fail_count", 0L), Verdict.FAIL,
                        "3 of 10 rows fail (30.0000%): n3 is null; threshold: max_fail_count=2, warn_fail_count=0"),
                Arguments.of("n1", spec("max_fail_fraction", 0.2, "warn_fail_fraction", 0.1), Verdict.PASS,
                        "1 of 10 rows fail (10.0000%): n1 is null; threshold: max_fail_fraction=0.2, "
                                + "warn_fail_fraction=0.1"),
                Arguments.of("n2", spec("max_fail_fraction", 0.2, "warn_fail_fraction", 0.1), Verdict.WARN,
                        "2 of 10 rows fail (20.0000%): n2 is null; threshold: max_fail_fraction=0.2, "
                                + "warn_fail_fraction=0.1"),
                Arguments.of("n3", spec("max_fail_fraction", 0.2, "warn_fail_fraction", 0.1), Verdict.FAIL,
                        "3 of 10 rows fail (30.0000%): n3 is null; threshold: max_fail_fraction=0.2, "
                                + "warn_fail_fraction=0.1"),
                // Either error limit fails the rule: 2 rows are within the count but over the fraction.
                Arguments.of("n2", spec("max_fail_count", 5L, "max_fail_fraction", 0.1), Verdict.FAIL,
                        "2 of 10 rows fail (20.0000%): n2 is null; threshold: max_fail_count=5, max_fail_fraction=0.1"),
                // Warn levels alone leave the error limit at zero failing rows.
                Arguments.of("n1", spec("warn_fail_count", 5L), Verdict.FAIL,
                        "1 of 10 rows fail (10.0000%): n1 is null; threshold: warn_fail_count=5"));
    }

    @ParameterizedTest(name = "{0} with {1}: {2}")
    @MethodSource("thresholds")
    void rowRulesAreJudgedAtJustUnderAndJustOverEachThreshold(String column, Map<String, Object> thresholds,
            Verdict verdict, String message) {
        Map<String, Object> spec = spec("not_null", column);
        spec.putAll(thresholds);
        RuleResult result = only(NULLS, spec);
        assertThat(result.verdict()).isEqualTo(verdict);
        assertThat(result.message()).isEqualTo(message);
        assertThat(result.rowsChecked()).isEqualTo(10);
        assertThat(result.rowsFailed()).isEqualTo(Long.parseLong(column.substring(1)));
        assertThat(result.failFraction()).isEqualTo(result.rowsFailed() / 10.0);
        assertThat(result.blocks()).isEqualTo(verdict == Verdict.FAIL);
    }

    @Test
    void oneScanCountsRowsFailuresOfEachRuleRowsFailingAnyAndTheMetrics() {
        Gate gate = gate(rules(List.of(spec("not_null", list("n1", "n3")),
                spec("expression", "id < 10"), spec("statistic", spec("metric", "max", "column", "id", "max", 10L)))),
                NULLS);
        List<Object> scan = session.query(gate.scanSql()).values().get(0);
        // not_null(n1), not_null(n3), expression, any, row_count, max(id)
        assertThat(scan).containsExactly(1L, 3L, 1L, 4L, 10.0, 10.0);
        Gate.Outcome outcome = judge(gate, NULLS, MetricHistory.NONE);
        assertThat(outcome.rows()).isEqualTo(10);
        assertThat(outcome.results()).extracting(r -> r.rule().name(), RuleResult::rowsChecked, RuleResult::rowsFailed,
                RuleResult::verdict).containsExactly(
                        tuple("not_null(n1)", 10L, 1L, Verdict.FAIL),
                        tuple("not_null(n3)", 10L, 3L, Verdict.FAIL),
                        tuple("expression", 10L, 1L, Verdict.FAIL),
                        tuple("statistic(max, id)", 1L, 0L, Verdict.PASS));
        assertThat(outcome.results().get(2).message()).isEqualTo(
                "1 of 10 rows fail (10.0000%): not id < 10; threshold: no failing rows allowed");
        assertThat(outcome.metrics()).containsExactly(new MetricValue(null, "row_count", 10.0),
                new MetricValue("id", "max", 10.0), new MetricValue(null, "failed_rows", 4.0),
                new MetricValue(null, "fail_fraction", 0.4));
        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.quarantined()).isEmpty();
        assertThat(gate.rules()).hasSize(4);
        assertThat(gate.needsRowIds()).isFalse();
    }

    @Test
    void aGateWithoutRowRulesScansOnlyTheMetrics() {
        Gate gate = gate(rules(List.of(spec("row_count", spec("min", 1L)),
                spec("name", "again", "row_count", spec("max", 100L)))), NULLS);
        assertThat(session.query(gate.scanSql()).values().get(0)).containsExactly(0, 10.0);
        Gate.Outcome outcome = judge(gate, NULLS, MetricHistory.NONE);
        assertThat(outcome.results()).extracting(RuleResult::verdict).containsExactly(Verdict.PASS, Verdict.PASS);
        assertThat(outcome.metrics()).containsExactly(new MetricValue(null, "row_count", 10.0),
                new MetricValue(null, "failed_rows", 0.0), new MetricValue(null, "fail_fraction", 0.0));
        assertThat(outcome.passed()).isTrue();
        assertThat(gate.queryCountSqls()).isEmpty();
    }

    @Test
    void rowRulesOnAnEmptyTablePass() {
        Gate.Outcome outcome = judge(table("empty"), rules(List.of(spec("not_null", "id"))));
        RuleResult result = outcome.results().get(0);
        assertThat(result.verdict()).isEqualTo(Verdict.PASS);
        assertThat(result.message()).isEqualTo("0 of 0 rows fail (0.0000%): id is null; threshold: "
                + "no failing rows allowed");
        assertThat(result.failFraction()).isZero();
        assertThat(outcome.rows()).isZero();
        assertThat(metric(outcome, null, "fail_fraction")).isZero();
    }

    @Test
    void notNullOverSeveralColumnsMakesOneRuleEach() {
        Gate.Outcome outcome = judge(NULLS, rules(List.of(spec("not_null", spec("columns", list("n0", "n2"))))));
        assertThat(outcome.results()).extracting(r -> r.rule().name(), RuleResult::rowsFailed)
                .containsExactly(tuple("not_null(n0)", 0L), tuple("not_null(n2)", 2L));
    }

    @Test
    void uniqueFlagsEveryRowOfARepeatedKeyAndIgnoresKeysWithNulls() {
        RuleResult one = only(table("keys"), spec("unique", "id"));
        // ids 1, 2, 2, 3, 4, NULL, NULL: the two 2s; NULLs equal nothing
        assertThat(one.rowsFailed()).isEqualTo(2);
        assertThat(one.rule().name()).isEqualTo("unique(id)");
        assertThat(one.message()).isEqualTo("2 of 7 rows fail (28.5714%): duplicate id; threshold: "
                + "no failing rows allowed");
        RuleResult pair = only(table("keys"), spec("unique", list("a", "b")));
        // (1,x) twice; (2,NULL) twice does not count
        assertThat(pair.rowsFailed()).isEqualTo(2);
        assertThat(pair.rule().name()).isEqualTo("unique(a, b)");
        assertThat(pair.message()).contains("duplicate a, b");
        // (NULL, z) twice does not count either
        RuleResult alone = only(table("keys"), spec("unique", spec("columns", list("id", "b"))));
        assertThat(alone.rowsFailed()).isZero();
        assertThat(alone.verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void uniqueIntegerKeysThatAreDenseAreCountedInABitmapAndFlaggedRowByRowOnlyWhenTheyRepeat() {
        List<Rule> rules = rules(List.of(spec("not_null", "code"), spec("unique", "id")));
        Gate passing = gate(rules, table("dense"));
        List<String> statements = new ArrayList<>();
        List<Object> scan = scan(passing, table("dense"), statements);
        assertThat(statements).hasSize(2);
        assertThat(statements.get(0)).isEqualTo("SELECT min(t.\"id\"), max(t.\"id\"), count(t.\"id\") FROM "
                + "\"main\".\"dense\" AS t");
        assertThat(statements.get(1)).contains("count(__sluice_d1) = bit_count(bitstring_agg(__sluice_d1, 1, 1000))")
                .doesNotContain("GROUP BY");
        // not_null(code): the NULL row; unique(id): none (NULLs equal nothing); any; row_count
        assertThat(scan).containsExactly(1L, 0L, 1L, 1001.0);
        assertThat(session.query(passing.exactScanSql()).values().get(0)).isEqualTo(scan);

        // Key 7 twice: the bitmap only says some key repeats; the exact scan counts the rows.
        Gate failing = gate(rules, table("repeated"));
        statements.clear();
        scan = scan(failing, table("repeated"), statements);
        assertThat(statements).hasSize(3);
        assertThat(session.query(statements.get(1)).values().get(0)).containsExactly(1L, null, null, 1002.0);
        assertThat(statements.get(2)).isEqualTo(failing.exactScanSql());
        assertThat(scan).containsExactly(1L, 2L, 3L, 1002.0);
        RuleResult unique = judge(failing, table("repeated"), MetricHistory.NONE).results().get(1);
        assertThat(unique.rowsFailed()).isEqualTo(2);
        assertThat(unique.message()).isEqualTo("2 of 1002 rows fail (0.1996%): duplicate id; threshold: "
                + "no failing rows allowed");
    }

    @Test
    void uniqueKeysThatAreSparseAbsentTextOrSeveralColumnsAreGrouped() {
        // A range of 64 values a key or more, of more than 10^9 values, or no key at all: the bounds, then grouped.
        for (String relation : List.of(table("sparse"), table("huge"), table("empty"))) {
            Gate gate = gate(rules(List.of(spec("unique", "id"))), relation);
            List<String> statements = new ArrayList<>();
            List<Object> scan = scan(gate, relation, statements);
            assertThat(statements).hasSize(2);
            assertThat(statements.get(0)).startsWith("SELECT min(t.\"id\"), max(t.\"id\"), count(t.\"id\")");
            assertThat(statements.get(1)).isEqualTo(gate.scanSql()).contains("GROUP BY ALL HAVING count(*) > 1");
            assertThat(scan.get(0)).isEqualTo(relation.equals(table("empty")) ? 0L : 2L);
        }
        // Text keys, keys of two columns, and an engine without bitmaps (as Spark): grouped, no bounds.
        Gate text = gate(rules(List.of(spec("unique", "code"))), table("repeated"));
        Gate pair = gate(rules(List.of(spec("unique", list("id", "code")))), table("repeated"));
        Gate withoutBitmaps = new Gate(rules(List.of(spec("unique", "id"))), table("repeated"), withoutBitmaps());
        for (Gate gate : List.of(text, pair, withoutBitmaps)) {
            List<String> statements = new ArrayList<>();
            assertThat(scan(gate, table("repeated"), statements)).containsExactly(2L, 2L, 1002.0);
            assertThat(statements).containsExactly(gate.scanSql());
        }
    }

    /** DuckDB's dialect as an engine without a bitmap aggregate would write it. */
    private static Dialect withoutBitmaps() {
        return (Dialect) Proxy.newProxyInstance(Dialect.class.getClassLoader(), new Class<?>[] {Dialect.class},
                (proxy, method, arguments) -> method.getName().equals("distinctIntegers") ? Optional.empty()
                        : method.invoke(DuckDbDialect.INSTANCE, arguments));
    }

    @Test
    void acceptedValuesFailsOtherValuesButNotNulls() {
        RuleResult text = only(table("statuses"), spec("accepted_values",
                spec("column", "status", "values", list("new", "paid"))));
        assertThat(text.rowsFailed()).isEqualTo(1);
        assertThat(text.rule().name()).isEqualTo("accepted_values(status)");
        assertThat(text.message()).isEqualTo("1 of 4 rows fail (25.0000%): status not in [new, paid]; "
                + "threshold: no failing rows allowed");
        RuleResult numbers = only(table("statuses"), spec("accepted_values",
                spec("column", "code", "values", list(1L, 2L))));
        assertThat(numbers.rowsFailed()).isEqualTo(1);
    }

    @Test
    void rangeIsInclusiveByDefaultAndExclusiveOnRequest() {
        String amounts = table("amounts");
        RuleResult inclusive = only(amounts, spec("range", spec("column", "amount", "min", 0L, "max", 10L)));
        // -1 and 11; 0 and 10 lie on the bounds; NULL passes
        assertThat(inclusive.rowsFailed()).isEqualTo(2);
        assertThat(inclusive.rule().name()).isEqualTo("range(amount)");
        assertThat(inclusive.message()).isEqualTo("2 of 6 rows fail (33.3333%): amount outside [0, 10]; "
                + "threshold: no failing rows allowed");
        RuleResult exclusive = only(amounts, spec("range", spec("column", "amount", "min", 0L, "max", 10L,
                "inclusive", false)));
        assertThat(exclusive.rowsFailed()).isEqualTo(4);
        assertThat(exclusive.message()).contains("amount outside (0, 10)");
        RuleResult minimum = only(amounts, spec("range", spec("column", "amount", "min", new BigDecimal("0.5"))));
        assertThat(minimum.rowsFailed()).isEqualTo(2);
        assertThat(minimum.message()).contains("amount outside [0.5, ]");
        RuleResult maximum = only(amounts, spec("range", spec("column", "amount", "max", 10.5)));
        assertThat(maximum.rowsFailed()).isEqualTo(1);
        assertThat(maximum.message()).contains("amount outside [, 10.5]");
        RuleResult dates = only(amounts, spec("range", spec("column", "day", "min", LocalDate.of(2024, 2, 1),
                "max", "2024-04-01", "inclusive", false)));
        // only 2024-03-01 lies strictly between
        assertThat(dates.rowsFailed()).isEqualTo(4);
        assertThat(dates.message()).contains("day outside (2024-02-01, 2024-04-01)");
    }

    @Test
    void regexMustMatchTheWholeValueAsText() {
        RuleResult email = only(table("emails"), spec("regex", spec("column", "email",
                "pattern", "[a-z]+@[a-z]+\\.com")));
        assertThat(email.rowsFailed()).isEqualTo(1);
        assertThat(email.rule().name()).isEqualTo("regex(email)");
        assertThat(email.message()).isEqualTo("1 of 4 rows fail (25.0000%): email does not match "
                + "[a-z]+@[a-z]+\\.com; threshold: no failing rows allowed");
        RuleResult zip = only(table("emails"), spec("regex", spec("column", "zip", "pattern", "\\d{5}")));
        assertThat(zip.rowsFailed()).isEqualTo(1);
    }

    @Test
    void relationshipsFindValuesWithoutAMatchInTheOtherRelation() {
        String orders = table("orders");
        Gate.Outcome outcome = judge(orders, rules(List.of(
                spec("relationships", spec("column", "customer_id", "to", "customers")),
                spec("name", "customer_code_known", "relationships",
                        spec("column", "customer_code", "to", "customers", "field", "code")),
                // the same join again, under another name: it is joined once
                spec("name", "customer_again", "relationships", spec("column", "customer_id", "to", "customers")),
                spec("unique", "id"))));
        assertThat(outcome.results()).extracting(r -> r.rule().name(), RuleResult::rowsFailed).containsExactly(
                tuple("relationships(customer_id)", 1L), tuple("customer_code_known", 1L),
                tuple("customer_again", 1L), tuple("unique(id)", 0L));
        assertThat(outcome.results().get(0).message()).isEqualTo("1 of 5 rows fail (20.0000%): customer_id has "
                + "no match in customers.customer_id; threshold: no failing rows allowed");
        assertThat(outcome.results().get(1).message()).contains("customer_code has no match in customers.code");
        assertThat(outcome.rows()).isEqualTo(5);
    }

    @Test
    void relationshipsAreCountedByInnerJoinsAndFlaggedRowByRowOnlyWhenTheyFail() {
        List<Rule> rules = rules(List.of(spec("not_null", "customer_id"),
                spec("relationships", spec("column", "customer_id", "to", "customers"))));
        // Without order 3 (customer 3 is unknown) every customer matches: one statement gives every number.
        Gate passing = gate(rules, "(SELECT * FROM main.orders WHERE id <> 3)");
        List<String> statements = new ArrayList<>();
        List<Object> scan = passing.scan(sql -> {
            statements.add(sql);
            return session.query(sql).values().get(0);
        }, Map.of());
        assertThat(statements).containsExactly(passing.scanSql());
        assertThat(statements.get(0)).contains(" JOIN (SELECT DISTINCT").doesNotContain("LEFT JOIN");
        assertThat(scan).containsExactly(1L, 0L, 1L, 4.0);
        // With it, the rows failing any rule need each row's flags: a second statement counts them.
        Gate failing = gate(rules, table("orders"));
        statements.clear();
        scan = failing.scan(sql -> {
            statements.add(sql);
            return session.query(sql).values().get(0);
        }, Map.of());
        assertThat(statements).containsExactly(failing.scanSql(), failing.exactScanSql());
        assertThat(session.query(failing.scanSql()).values().get(0)).containsExactly(1L, 1L, null, 5.0);
        assertThat(scan).containsExactly(1L, 1L, 2L, 5.0);
        Gate.Outcome outcome = failing.judge(scan, List.of(), Map.of(), MetricHistory.NONE);
        assertThat(outcome.metrics()).contains(new MetricValue(null, "failed_rows", 2.0),
                new MetricValue(null, "fail_fraction", 0.4));
    }

    @Test
    void relationshipsToAFieldTheTargetLacksIsAnErrorNotAPass() {
        // customers has no column id; unqualified, DuckDB would read the checked row's own id and match every row
        Gate gate = gate(List.of(rule(spec("relationships", spec("column", "id", "to", "customers")))),
                table("orders"));
        assertThatThrownBy(() -> session.query(gate.scanSql())).hasMessageContaining("Binder Error")
                .hasMessageContaining("__sluice_to.\"id\"");
    }

    @Test
    void rowCountMustLieWithinItsBounds() {
        RuleResult enough = only(NULLS, spec("row_count", spec("min", 10L, "max", 10L)));
        assertThat(enough.verdict()).isEqualTo(Verdict.PASS);
        assertThat(enough.rule().name()).isEqualTo("row_count");
        assertThat(enough.message()).isEqualTo("row_count is 10; expected within [10, 10]");
        assertThat(enough.rowsChecked()).isEqualTo(1);
        assertThat(enough.rowsFailed()).isZero();
        RuleResult tooMany = only(NULLS, spec("row_count", spec("max", 9L)));
        assertThat(tooMany.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(tooMany.rowsFailed()).isEqualTo(1);
        assertThat(tooMany.message()).isEqualTo("row_count is 10; expected within [, 9]");
        RuleResult tooFew = only(NULLS, spec("row_count", spec("min", 11L)));
        assertThat(tooFew.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(tooFew.message()).isEqualTo("row_count is 10; expected within [11, ]");
        RuleResult none = only(table("empty"), spec("row_count", spec("min", 1L)));
        assertThat(none.message()).isEqualTo("row_count is 0; expected within [1, ]");
        assertThat(none.blocks()).isTrue();
    }

    @Test
    void freshnessMeasuresTheAgeOfTheNewestDate() {
        String fresh = table("fresh");
        // the newest date is three days back, so between 3 and 4 days old
        RuleResult stale = only(fresh, spec("freshness", spec("column", "d", "max_age", "2 days")));
        assertThat(stale.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(stale.rule().name()).isEqualTo("freshness(d)");
        assertThat(stale.message()).startsWith("age_seconds of d is ").endsWith("; expected within [, 172800]");
        assertThat(only(fresh, spec("freshness", spec("column", "d", "max_age", "4 days"))).verdict())
                .isEqualTo(Verdict.PASS);
        Gate.Outcome outcome = judge(fresh, rules(List.of(spec("freshness", spec("column", "d", "max_age", "1 week")))));
        assertThat(metric(outcome, "d", "age_seconds")).isBetween(3 * 86_400.0, 4 * 86_400.0);
    }

    @Test
    void freshnessMeasuresTheAgeOfTheNewestTimestamp() {
        String fresh = table("fresh");
        // the newest timestamp is two hours old
        RuleResult stale = only(fresh, spec("freshness", spec("column", "ts", "max_age", "1 hour")));
        assertThat(stale.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(stale.message()).startsWith("age_seconds of ts is ").endsWith("; expected within [, 3600]");
        assertThat(only(fresh, spec("freshness", spec("column", "ts", "max_age", "180 minutes"))).verdict())
                .isEqualTo(Verdict.PASS);
        Gate.Outcome outcome = judge(fresh, rules(List.of(spec("freshness", spec("column", "ts", "max_age",
                "7200 seconds")))));
        assertThat(metric(outcome, "ts", "age_seconds")).isBetween(7200.0, 7300.0);
        assertThat(outcome.results().get(0).verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void freshnessOfAnEmptyTableFails() {
        RuleResult result = only(table("empty"), spec("freshness", spec("column", "d", "max_age", "1 day")));
        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.message()).isEqualTo("age_seconds of d is undefined (no rows); expected within [, 86400]");
    }

    @Test
    void schemaComparesColumnsAndTypesWithTheRelation() {
        String typed = table("typed");
        RuleResult named = only(typed, spec("schema", spec("columns", spec("ID", "integer", "name", "VARCHAR"))));
        assertThat(named.verdict()).isEqualTo(Verdict.PASS);
        assertThat(named.message()).isEqualTo("columns as expected");
        assertThat(named.rule().name()).isEqualTo("schema");
        RuleResult listed = only(typed, spec("schema", spec("columns", list("id", "name", "amount"),
                "allow_extra", false)));
        assertThat(listed.verdict()).isEqualTo(Verdict.PASS);
        RuleResult wrong = only(typed, spec("schema", spec("columns", spec("id", "bigint", "missing", null,
                "amount", "DECIMAL(10,2)"), "allow_extra", false)));
        assertThat(wrong.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(wrong.rowsFailed()).isEqualTo(1);
        assertThat(wrong.message()).isEqualTo("column id is INTEGER, expected bigint; missing column missing; "
                + "unexpected column name");
    }

    @Test
    void expressionFailsRowsWhereItIsFalseButNotWhereItIsNull() {
        RuleResult result = only(table("amounts"), spec("expression", "amount <= total"));
        // (10, 9) fails; (NULL, 1) is unknown and passes
        assertThat(result.rowsFailed()).isEqualTo(1);
        assertThat(result.message()).isEqualTo("1 of 6 rows fail (16.6667%): not amount <= total; threshold: "
                + "no failing rows allowed");
        RuleResult written = only(table("amounts"), spec("expression", spec("expression", "amount >= 0")));
        assertThat(written.rowsFailed()).isEqualTo(1);
        assertThat(written.rule().name()).isEqualTo("expression");
    }

    @Test
    void sqlRulesCountTheRowsTheirQuerySelectsFromThis() {
        Gate gate = gate(rules(List.of(
                spec("name", "plain", "sql", "SELECT * FROM this WHERE n3 IS NULL", "max_fail_count", 2L),
                spec("name", "own_with", "sql", "with\n  few AS (SELECT * FROM this WHERE id <= 5)\n"
                        + "SELECT * FROM few WHERE n2 IS NULL"),
                spec("name", "recursive", "sql", "  WITH RECURSIVE ids(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM "
                        + "ids WHERE i < 3) SELECT * FROM this JOIN ids ON this.id = ids.i", "severity", "warn"),
                spec("name", "none", "sql", "SELECT * FROM this WHERE id > 100"))), NULLS);
        assertThat(gate.queryCountSqls()).hasSize(4);
        assertThat(gate.queryCountSqls().get(1)).startsWith("SELECT count(*) FROM (WITH this AS (SELECT t.* FROM "
                + NULLS + " AS t), few AS");
        Gate.Outcome outcome = judge(gate, NULLS, MetricHistory.NONE);
        assertThat(outcome.results()).extracting(r -> r.rule().name(), RuleResult::rowsFailed, RuleResult::verdict,
                RuleResult::blocks).containsExactly(
                        tuple("plain", 3L, Verdict.FAIL, true),
                        tuple("own_with", 2L, Verdict.FAIL, true),
                        tuple("recursive", 3L, Verdict.WARN, false),
                        tuple("none", 0L, Verdict.PASS, false));
        assertThat(outcome.results().get(0).message()).isEqualTo("3 of 10 rows fail (30.0000%): selected by the "
                + "rule's query; threshold: max_fail_count=2");
        assertThat(outcome.results().get(0).thresholds()).isEqualTo("max_fail_count=2");
        // sql rules are not part of the scan's rows failing any rule
        assertThat(metric(outcome, null, "failed_rows")).isZero();
    }

    @Test
    void statisticsMeasureEachMetric() {
        String stats = table("stats");
        // v: 1, 2, 3, 4, NULL; k: a, a, b, c, NULL
        Gate.Outcome outcome = judge(stats, rules(List.of(
                spec("statistic", spec("metric", "mean", "column", "v", "min", 2L, "max", 3L)),
                spec("statistic", spec("metric", "stddev", "column", "v", "max", 1L)),
                spec("statistic", spec("metric", "min", "column", "v", "min", 1L)),
                spec("statistic", spec("metric", "max", "column", "v", "max", 3.5)),
                spec("statistic", spec("metric", "quantile", "column", "v", "q", 0.25, "min", 1.75, "max", 1.75)),
                spec("statistic", spec("metric", "distinct_ratio", "column", "k", "min", 0.7)),
                spec("statistic", spec("metric", "null_fraction", "column", "v", "max", 0.2)),
                spec("statistic", spec("metric", "row_count", "min", 5L)))));
        assertThat(outcome.results()).extracting(r -> r.rule().name(), RuleResult::verdict, RuleResult::message)
                .containsExactly(
                        tuple("statistic(mean, v)", Verdict.PASS, "mean of v is 2.50000; expected within [2, 3]"),
                        tuple("statistic(stddev, v)", Verdict.FAIL, "stddev of v is 1.29099; expected within [, 1]"),
                        tuple("statistic(min, v)", Verdict.PASS, "min of v is 1; expected within [1, ]"),
                        tuple("statistic(max, v)", Verdict.FAIL, "max of v is 4; expected within [, 3.50000]"),
                        tuple("statistic(quantile, v)", Verdict.PASS,
                                "quantile_0.25 of v is 1.75000; expected within [1.75000, 1.75000]"),
                        tuple("statistic(distinct_ratio, k)", Verdict.FAIL,
                                "distinct_ratio of k is 0.600000; expected within [0.700000, ]"),
                        tuple("statistic(null_fraction, v)", Verdict.PASS,
                                "null_fraction of v is 0.200000; expected within [, 0.200000]"),
                        tuple("statistic(row_count)", Verdict.PASS, "row_count is 5; expected within [5, ]"));
        assertThat(outcome.metrics()).extracting(MetricValue::column, MetricValue::metric).containsExactly(
                tuple(null, "row_count"), tuple("v", "mean"), tuple("v", "stddev"), tuple("v", "min"),
                tuple("v", "max"), tuple("v", "quantile_0.25"), tuple("k", "distinct_ratio"),
                tuple("v", "null_fraction"), tuple(null, "failed_rows"), tuple(null, "fail_fraction"));
        assertThat(metric(outcome, "v", "stddev")).isCloseTo(Math.sqrt(5.0 / 3), org.assertj.core.data.Offset.offset(
                1e-12));
        assertThat(outcome.passed()).isFalse();
    }

    @Test
    void aMetricUsedByTwoRulesIsScannedOnce() {
        Gate gate = gate(rules(List.of(
                spec("statistic", spec("metric", "mean", "column", "v", "min", 2L)),
                spec("name", "mean_high", "statistic", spec("metric", "MEAN", "column", "v", "max", 2L)))),
                table("stats"));
        assertThat(session.query(gate.scanSql()).values().get(0)).containsExactly(0, 5.0, 2.5);
        Gate.Outcome outcome = judge(gate, table("stats"), MetricHistory.NONE);
        assertThat(outcome.results()).extracting(RuleResult::verdict).containsExactly(Verdict.PASS, Verdict.FAIL);
    }

    @Test
    void statisticsOfAnEmptyTableAreUndefinedAndFail() {
        RuleResult result = only(table("empty"), spec("statistic", spec("metric", "mean", "column", "v", "min", 0L)));
        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.message()).isEqualTo("mean of v is undefined (no rows); expected within [0, ]");
    }

    /** A history that answers from a fixed list and records what it was asked. */
    private static final class History implements MetricHistory {
        final List<Double> values;
        final List<String> asked = new ArrayList<>();

        History(Double... values) {
            this.values = Arrays.asList(values);
        }

        @Override
        public List<Double> last(String column, String metric, int count) {
            asked.add(column + "/" + metric + "/" + count);
            return values.subList(0, Math.min(count, values.size()));
        }
    }

    private static RuleResult anomaly(String relation, Map<String, Object> options, History history) {
        Gate gate = gate(List.of(rule(spec("anomaly", options))), relation);
        return judge(gate, relation, history).results().get(0);
    }

    @Test
    void anomalyWithinSigmasOfTheHistoryPasses() {
        History history = new History(10.0, 10.0, 10.0, 10.0, 10.0);
        RuleResult result = anomaly(NULLS, spec("metric", "row_count"), history);
        assertThat(result.verdict()).isEqualTo(Verdict.PASS);
        assertThat(result.message()).isEqualTo("row_count is 10, as expected: the last 5 runs averaged 10 with "
                + "standard deviation 0; allowed 3 sigma");
        assertThat(result.rule().name()).isEqualTo("anomaly(row_count)");
        assertThat(history.asked).containsExactly("null/row_count/10");
    }

    @Test
    void anomalyOutsideSigmasOfTheHistoryFails() {
        // mean 12, population standard deviation 1; 2 sigma allow 10 to 14
        History atEdge = new History(11.0, 13.0, 11.0, 13.0);
        RuleResult edge = anomaly(NULLS, spec("metric", "row_count", "k", 2L, "min_history", 4L), atEdge);
        assertThat(edge.verdict()).isEqualTo(Verdict.PASS);
        assertThat(edge.message()).isEqualTo("row_count is 10, as expected: the last 4 runs averaged 12 with "
                + "standard deviation 1; allowed 2 sigma");
        RuleResult beyond = anomaly(NULLS, spec("metric", "row_count", "k", 1.5, "min_history", 4L), atEdge);
        assertThat(beyond.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(beyond.rowsFailed()).isEqualTo(1);
        assertThat(beyond.message()).isEqualTo("row_count is 10, an anomaly: the last 4 runs averaged 12 with "
                + "standard deviation 1; allowed 1.50000 sigma");
        assertThat(beyond.blocks()).isTrue();
    }

    @Test
    void anomalyLooksBackOnlyAsFarAsAskedAndSkipsMissingValues() {
        // the newest three, one of them missing: 10 and 12, mean 11, deviation 1
        History history = new History(10.0, null, 12.0, 100.0, 100.0);
        RuleResult result = anomaly(table("stats"), spec("metric", "mean", "column", "v", "lookback", 3L,
                "min_history", 2L, "k", 8L), history);
        assertThat(history.asked).containsExactly("v/mean/3");
        assertThat(result.rule().name()).isEqualTo("anomaly(mean, v)");
        assertThat(result.message()).isEqualTo("mean of v is 2.50000, an anomaly: the last 2 runs averaged 11 with "
                + "standard deviation 1; allowed 8 sigma");
        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void anomalyWithTooLittleHistoryPasses() {
        RuleResult result = anomaly(NULLS, spec("metric", "row_count"), new History(1.0, null, 1.0));
        assertThat(result.verdict()).isEqualTo(Verdict.PASS);
        assertThat(result.rowsFailed()).isZero();
        assertThat(result.message()).isEqualTo("row_count is 10; not enough history to judge (2 of 5 runs needed), "
                + "passing");
        RuleResult none = anomaly(table("empty"), spec("metric", "max", "column", "v"), new History());
        assertThat(none.message()).isEqualTo("max of v is undefined; not enough history to judge (0 of 5 runs "
                + "needed), passing");
    }

    @Test
    void anomalyOfAnUndefinedMetricWithHistoryFails() {
        RuleResult result = anomaly(table("empty"), spec("metric", "max", "column", "v", "min_history", 1L),
                new History(3.0));
        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.message()).isEqualTo("max of v is undefined (no rows); history has values");
    }

    @Test
    void anomalyWithMaxChangeComparesWithTheLastValue() {
        Map<String, Object> options = spec("metric", "row_count", "max_change", 0.2, "min_history", 1L);
        // 8 -> 10 is a change of 25%
        RuleResult over = anomaly(NULLS, options, new History(8.0, 10.0, 10.0));
        assertThat(over.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(over.message()).isEqualTo("row_count is 10, an anomaly: changed by 25% since the last run (8); "
                + "allowed 20%");
        RuleResult at = anomaly(NULLS, spec("metric", "row_count", "max_change", 0.25, "min_history", 1L),
                new History(8.0));
        assertThat(at.verdict()).isEqualTo(Verdict.PASS);
        assertThat(at.message()).isEqualTo("row_count is 10, as expected: changed by 25% since the last run (8); "
                + "allowed 25%");
        RuleResult down = anomaly(NULLS, options, new History(12.0));
        assertThat(down.verdict()).isEqualTo(Verdict.PASS);
        assertThat(down.message()).isEqualTo("row_count is 10, as expected: changed by 16.6667% since the last run "
                + "(12); allowed 20%");
    }

    @Test
    void anomalyWithMaxChangeFromZero() {
        Map<String, Object> options = spec("metric", "row_count", "max_change", 0.2, "min_history", 1L);
        RuleResult fromZero = anomaly(NULLS, options, new History(0.0));
        assertThat(fromZero.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(fromZero.message()).isEqualTo("row_count is 10, an anomaly: changed by Infinity% since the last "
                + "run (0); allowed 20%");
        RuleResult stillZero = anomaly(table("empty"), options, new History(0.0));
        assertThat(stillZero.verdict()).isEqualTo(Verdict.PASS);
        assertThat(stillZero.message()).isEqualTo("row_count is 0, as expected: changed by 0% since the last run (0); "
                + "allowed 20%");
    }

    @Test
    void samplesAreFailingRowsWithoutSluicesColumns() {
        Gate gate = gate(rules(List.of(spec("not_null", "n2"), spec("unique", "id"),
                spec("name", "big", "sql", "SELECT id, n0 FROM this WHERE id > 8"))), NULLS);
        Rows notNull = session.query(gate.sampleSql(gate.rules().get(0), 5, HELPERS_LEFT_OUT));
        assertThat(notNull.columns()).containsExactly("id", "n0", "n1", "n2", "n3");
        assertThat(notNull.values()).containsExactlyInAnyOrder(list(1L, 1L, null, null, null),
                list(2L, 2L, 2L, null, null));
        assertThat(session.query(gate.sampleSql(gate.rules().get(0), 1, HELPERS_LEFT_OUT)).size()).isEqualTo(1);
        // A sample joins only what its own rule needs: not_null's does not wait for unique's grouped keys.
        assertThat(gate.sampleSql(gate.rules().get(0), 5, HELPERS_LEFT_OUT)).doesNotContain("GROUP BY")
                .doesNotContain("__sluice_r1");
        assertThat(gate.sampleSql(gate.rules().get(1), 5, HELPERS_LEFT_OUT)).contains("GROUP BY ALL HAVING")
                .doesNotContain("__sluice_r0");
        assertThat(session.query(gate.sampleSql(gate.rules().get(1), 5, HELPERS_LEFT_OUT)).isEmpty()).isTrue();
        Rows query = session.query(gate.sampleSql(gate.rules().get(2), 5, HELPERS_LEFT_OUT));
        assertThat(query.columns()).containsExactly("id", "n0");
        assertThat(query.values()).containsExactlyInAnyOrder(list(9L, 9L), list(10L, 10L));
    }

    @Test
    void quarantineSelectsEachFailingRowOnceWithEveryRuleItFails() {
        String q = table("q");
        Gate gate = gate(rules(List.of(
                spec("not_null", "a", "severity", "quarantine"),
                spec("accepted_values", spec("column", "b", "values", list("x")), "on_fail", "quarantine"),
                spec("name", "small_a", "range", spec("column", "a", "max", 10L), "severity", "quarantine"),
                spec("name", "late_ids", "sql", "SELECT * FROM this WHERE id >= 4", "severity", "quarantine"),
                spec("name", "never", "regex", spec("column", "b", "pattern", ".*"), "severity", "quarantine"),
                spec("name", "not_two", "expression", "id <> 2", "severity", "warn"))), q);
        assertThat(gate.needsRowIds()).isTrue();
        Gate.Outcome outcome = judge(gate, q, MetricHistory.NONE);
        assertThat(outcome.results()).extracting(r -> r.rule().name(), RuleResult::rowsFailed, RuleResult::verdict,
                RuleResult::blocks, RuleResult::quarantines).containsExactly(
                        tuple("not_null(a)", 2L, Verdict.WARN, false, true),
                        tuple("accepted_values(b)", 1L, Verdict.WARN, false, true),
                        tuple("small_a", 1L, Verdict.WARN, false, true),
                        tuple("late_ids", 3L, Verdict.WARN, false, true),
                        tuple("never", 0L, Verdict.PASS, false, false),
                        tuple("not_two", 1L, Verdict.WARN, false, false));
        assertThat(outcome.passed()).isTrue();
        assertThat(outcome.quarantined()).extracting(Rule::name)
                .containsExactly("not_null(a)", "accepted_values(b)", "small_a", "late_ids");

        Rows rows = session.query("SELECT * FROM (" + gate.quarantineSql(outcome.quarantined(), 42) + ") ORDER BY id");
        assertThat(rows.columns()).containsExactly("id", "a", "b", "_sluice_rule", "_sluice_reason", "_sluice_run_id",
                "__sluice_rowid");
        assertThat(rows.values()).extracting(row -> row.get(0)).containsExactly(1, 3, 4, 5, 6);
        assertThat(rows.values().get(0).subList(0, 6)).containsExactly(1, null, "x", "not_null(a)", "a is null", 42L);
        assertThat(rows.values().get(1).subList(3, 5)).containsExactly("not_null(a), accepted_values(b)",
                "a is null; b not in [x]");
        assertThat(Set.of(((String) rows.values().get(2).get(3)).split(", "))).containsExactlyInAnyOrder("small_a",
                "late_ids");
        assertThat(Set.of(((String) rows.values().get(2).get(4)).split("; "))).containsExactlyInAnyOrder(
                "a outside [, 10]", "selected by late_ids");
        assertThat(rows.values().get(3).subList(3, 5)).containsExactly("late_ids", "selected by late_ids");
        // the row ids are the relation's own
        for (List<Object> row : rows.values()) {
            assertThat(session.query("SELECT id FROM " + q + " WHERE rowid = ?", row.get(6)).single())
                    .isEqualTo(row.get(0));
        }
        Rows sample = session.query(gate.sampleSql(gate.rules().get(3), 10, HELPERS_LEFT_OUT));
        assertThat(sample.columns()).containsExactly("id", "a", "b");
        assertThat(sample.size()).isEqualTo(3);
    }

    @Test
    void quarantineOfQueryRulesAlone() {
        String q = table("q");
        Gate gate = gate(rules(List.of(spec("name", "odd", "sql", "SELECT * FROM this WHERE id % 2 = 1",
                "severity", "quarantine"))), q);
        Gate.Outcome outcome = judge(gate, q, MetricHistory.NONE);
        Rows rows = session.query("SELECT id, _sluice_rule, _sluice_reason, _sluice_run_id FROM ("
                + gate.quarantineSql(outcome.quarantined(), 7) + ") ORDER BY id");
        assertThat(rows.values()).containsExactly(list(1, "odd", "selected by odd", 7L),
                list(3, "odd", "selected by odd", 7L), list(5, "odd", "selected by odd", 7L));
    }

    @Test
    void quarantineWithAnErrorLimitStillBlocksBeyondIt() {
        String q = table("q");
        Gate.Outcome outcome = judge(q, rules(List.of(
                spec("not_null", "a", "severity", "quarantine", "max_fail_count", 1L),
                spec("name", "b_known", "accepted_values", spec("column", "b", "values", list("x")),
                        "severity", "quarantine", "max_fail_fraction", 0.5),
                spec("name", "quiet", "expression", "id < 6", "severity", "quarantine", "warn_fail_count", 0L))));
        // rows set aside within the error limit warn; beyond it the rule fails
        assertThat(outcome.results()).extracting(RuleResult::verdict, RuleResult::blocks, RuleResult::quarantines)
                .containsExactly(tuple(Verdict.FAIL, true, true), tuple(Verdict.WARN, false, true),
                        tuple(Verdict.WARN, false, true));
        assertThat(outcome.results().get(1).message()).isEqualTo("1 of 6 rows fail (16.6667%): b not in [x]; "
                + "threshold: max_fail_fraction=0.5");
        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.quarantined()).extracting(Rule::name).containsExactly("not_null(a)", "b_known", "quiet");
    }

    /** A gate over DuckDB's row identity, as the DuckDB engine's sessions build them. */
    private static Gate gate(List<Rule> rules, String relation) {
        return new Gate(rules, relation, dev.sluice.engine.duckdb.DuckDbDialect.INSTANCE);
    }
}
