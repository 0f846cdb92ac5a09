package dev.sluice.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.engine.Dialect;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineFactory;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.ColumnMasks;
import dev.sluice.project.Location;
import dev.sluice.project.RuleConfig;
import dev.sluice.quality.MetricValue;
import dev.sluice.quality.Rule;
import dev.sluice.quality.RuleParser;
import dev.sluice.quality.RuleResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The quality gate's SQL, one construct per test, on an engine: every engine compiles the same rules through its
 * {@link Dialect} and must give the same failing counts, metrics, samples and quarantined rows (the numbers here are
 * the same for every engine). Subclassed per engine (DuckDB in core, Spark in the spark module); one engine per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GateConformanceTest {
    private static final Location LOCATION = new Location(Path.of("models/orders.sql"), 3, 0);
    private static final String ORDERS = Sql.qualified("s", "orders");
    /** 2024-01-05 10:00, the newest ts of the orders, for the freshness rule. */
    private static final LocalDateTime NEWEST = LocalDateTime.of(2024, 1, 5, 10, 0);

    private Engine engine;
    private Session session;
    private Dialect dialect;

    /** The factory of the engine under test. */
    protected abstract EngineFactory factory();

    @BeforeAll
    void open() {
        engine = factory().open(EngineOptions.inMemory(List.of()));
        session = engine.session();
        dialect = session.dialect();
        session.execute("CREATE SCHEMA s");
        orders(ORDERS);
        session.execute("CREATE TABLE " + Sql.qualified("s", "customers") + " AS SELECT CAST(id AS INTEGER) AS id "
                + "FROM (VALUES (1), (2)) AS v(id)");
    }

    @AfterAll
    void close() {
        session.close();
        engine.close();
    }

    /**
     * Six orders: id 3 twice, a NULL code, a code holding a backslash, a status outside the accepted ones, a negative
     * amount, a customer without a match.
     */
    private void orders(String table) {
        String backslash = dialect.stringLiteral("a\\d");
        session.execute("CREATE TABLE " + table + " AS SELECT CAST(id AS INTEGER) AS id, CAST(code AS VARCHAR) AS code, "
                + "CAST(amount AS DOUBLE) AS amount, CAST(status AS VARCHAR) AS status, CAST(ts AS TIMESTAMP) AS ts, "
                + "CAST(customer_id AS INTEGER) AS customer_id FROM (VALUES "
                + "(1, 'SKU-12', 10.0, 'new', TIMESTAMP '2024-01-01 10:00:00', 1), "
                + "(2, 'SKU-x', 20.0, 'shipped', TIMESTAMP '2024-01-02 10:00:00', 2), "
                + "(3, 'AB12', -5.0, 'bogus', TIMESTAMP '2024-01-03 10:00:00', 9), "
                + "(3, NULL, 30.0, 'new', NULL, NULL), "
                + "(4, " + backslash + ", 40.0, 'new', TIMESTAMP '2024-01-04 10:00:00', 1), "
                + "(5, 'SKU-1234567', 50.0, 'shipped', TIMESTAMP '2024-01-05 10:00:00', 2)"
                + ") AS v(id, code, amount, status, ts, customer_id)");
    }

    private List<Rule> rules(Map<String, Object> spec) {
        RuleParser.Result parsed = RuleParser.parse("model orders", List.of(new RuleConfig(spec, LOCATION)),
                name -> Sql.qualified("s", name), dialect);
        assertThat(parsed.problems()).isEmpty();
        return parsed.rules();
    }

    private GateRunner.Checked check(Map<String, Object> spec) {
        // No anomaly rule: the gate reads no metric history, so no catalog is needed.
        return new GateRunner(null, 1, ColumnMasks.NONE).check(session, "s.orders", rules(spec), ORDERS);
    }

    /** The rows the single rule of {@code spec} fails on the orders. */
    private long failing(Map<String, Object> spec) {
        return check(spec).outcome().results().get(0).rowsFailed();
    }

    private static Map<String, Object> spec(Object... keysAndValues) {
        Map<String, Object> spec = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            spec.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return spec;
    }

    private static double metric(GateRunner.Checked checked, String name) {
        return checked.outcome().metrics().stream().filter(metric -> metric.metric().equals(name))
                .map(MetricValue::value).findFirst().orElseThrow();
    }

    @Test
    void notNull() {
        GateRunner.Checked checked = check(spec("not_null", "code"));
        assertThat(checked.outcome().results().get(0).rowsFailed()).isEqualTo(1);
        assertThat(checked.outcome().rows()).isEqualTo(6);
        // the sample holds the failing row, without the gate's helper columns
        assertThat(checked.samples().get("not_null(code)")).contains("30").doesNotContain("__sluice");
    }

    @Test
    void uniqueByAggregationJoinedBack() {
        assertThat(failing(spec("unique", "id"))).isEqualTo(2);
    }

    @Test
    void acceptedValuesWithTextLiterals() {
        assertThat(failing(spec("accepted_values", spec("column", "status", "values", List.of("new", "shipped")))))
                .isEqualTo(1);
        // a value holding a backslash is read back exactly
        assertThat(failing(spec("accepted_values", spec("column", "code", "values", List.of("a\\d"))))).isEqualTo(4);
    }

    @Test
    void range() {
        assertThat(failing(spec("range", spec("column", "amount", "min", 0L)))).isEqualTo(1);
        assertThat(failing(spec("range", spec("column", "ts", "max", "2024-01-03 10:00:00")))).isEqualTo(2);
    }

    @Test
    void regexDecidedByPrefixLengthAndGlob() {
        // starts_with, byte length BETWEEN, and NOT GLOB 'SKU-*[!0-9]*': no regex runs
        assertThat(failing(spec("regex", spec("column", "code", "pattern", "SKU-[0-9]{1,7}")))).isEqualTo(3);
    }

    @Test
    void regexDecidedByGlobOfClasses() {
        assertThat(failing(spec("regex", spec("column", "code", "pattern", "[A-Z]{2}\\d+")))).isEqualTo(4);
    }

    @Test
    void regexOfFixedLength() {
        // byte length equal, then GLOB of a class head and literal tail
        assertThat(failing(spec("regex", spec("column", "code", "pattern", "[A-Z]B12")))).isEqualTo(4);
        // a literal pattern is an equality, ends_with where the tail is literal
        assertThat(failing(spec("regex", spec("column", "code", "pattern", "SKU-12")))).isEqualTo(4);
        assertThat(failing(spec("regex", spec("column", "code", "pattern", "SKU-\\d*2")))).isEqualTo(4);
    }

    @Test
    void regexFullMatch() {
        assertThat(failing(spec("regex", spec("column", "code", "pattern", "(SKU|AB)-?\\d+")))).isEqualTo(2);
        // the regex behind the literal prefix; a backslash in the pattern reaches the engine's regex as written
        assertThat(failing(spec("regex", spec("column", "code", "pattern", "a\\\\d")))).isEqualTo(4);
    }

    @Test
    void relationships() {
        assertThat(failing(spec("relationships", spec("column", "customer_id", "to", "customers", "field", "id"))))
                .isEqualTo(1);
    }

    @Test
    void expressionAndSqlRules() {
        assertThat(failing(spec("expression", "amount < 45"))).isEqualTo(1);
        assertThat(failing(spec("sql", "SELECT * FROM this WHERE status = 'bogus'"))).isEqualTo(1);
    }

    @Test
    void statistics() {
        GateRunner.Checked quantile = check(spec("statistic", spec("column", "amount", "metric", "quantile", "q", 0.5,
                "max", 20.0)));
        assertThat(metric(quantile, "quantile_0.5")).isEqualTo(25.0);
        assertThat(quantile.outcome().results().get(0).rowsFailed()).isEqualTo(1);
        assertThat(metric(check(spec("statistic", spec("column", "amount", "metric", "stddev", "max", 100.0))),
                "stddev")).isCloseTo(20.1039, within(1e-3));
        assertThat(metric(check(spec("statistic", spec("column", "id", "metric", "distinct_ratio", "min", 0.0))),
                "distinct_ratio")).isCloseTo(5.0 / 6, within(1e-9));
        assertThat(metric(check(spec("statistic", spec("column", "code", "metric", "null_fraction", "max", 0.5))),
                "null_fraction")).isCloseTo(1.0 / 6, within(1e-9));
        assertThat(failing(spec("row_count", spec("min", 6, "max", 6)))).isZero();
    }

    @Test
    void freshnessMeasuresTheAgeOfTheNewestValue() {
        LocalDateTime before = LocalDateTime.now();
        GateRunner.Checked checked = check(spec("freshness", spec("column", "ts", "max_age", "1 day")));
        LocalDateTime after = LocalDateTime.now();
        assertThat(metric(checked, "age_seconds")).isBetween(
                (double) Duration.between(NEWEST, before).toSeconds() - 1,
                (double) Duration.between(NEWEST, after).toSeconds() + 1);
        assertThat(checked.outcome().results().get(0).rowsFailed()).isEqualTo(1);
    }

    @Test
    void schemaComparesSluicesTypeNames() {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("id", "INTEGER");
        columns.put("code", "VARCHAR");
        columns.put("amount", "DOUBLE");
        columns.put("ts", "TIMESTAMP");
        assertThat(check(spec("schema", spec("columns", columns))).outcome().results().get(0).message())
                .isEqualTo("columns as expected");
    }

    @Test
    void quarantineMovesFailingRowsAsideAndWidensTheTable() {
        String staged = Sql.qualified("s", "staged");
        orders(staged);
        GateRunner runner = new GateRunner(null, 7, ColumnMasks.NONE);
        List<Rule> rules = new ArrayList<>(rules(spec("not_null", "code", "severity", "quarantine")));
        rules.addAll(rules(spec("name", "bogus", "sql", "SELECT * FROM this WHERE status = 'bogus'",
                "severity", "quarantine")));
        GateRunner.Checked checked = runner.check(session, "s.staged", rules, staged);
        assertThat(checked.outcome().results()).extracting(RuleResult::rowsFailed).containsExactly(1L, 1L);

        assertThat(runner.quarantine(session, checked, "s", "staged", staged)).isEqualTo(2);
        assertThat(session.query("SELECT count(*) FROM " + staged).singleLong()).isEqualTo(4);
        String quarantine = Sql.qualified("s", "staged__quarantine");
        assertThat(session.query("SELECT id, _sluice_rule, _sluice_reason, _sluice_run_id FROM " + quarantine
                + " ORDER BY id").values()).containsExactly(
                        List.of(3, "bogus", "selected by bogus", 7L),
                        List.of(3, "not_null(code)", "code is null", 7L));

        // A second quarantine into the existing table: a new column widens it.
        session.execute("DROP TABLE " + staged);
        session.execute("CREATE TABLE " + staged + " AS SELECT o.*, CAST('x' AS VARCHAR) AS extra FROM " + ORDERS
                + " AS o");
        GateRunner.Checked again = new GateRunner(null, 8, ColumnMasks.NONE).check(session, "s.staged",
                rules.subList(0, 1), staged);
        assertThat(new GateRunner(null, 8, ColumnMasks.NONE).quarantine(session, again, "s", "staged", staged))
                .isEqualTo(1);
        assertThat(session.query("SELECT _sluice_run_id, extra FROM " + quarantine + " ORDER BY _sluice_run_id, "
                + "_sluice_rule").values()).containsExactly(Arrays.asList(7L, null), Arrays.asList(7L, null),
                        List.of(8L, "x"));
    }
}
