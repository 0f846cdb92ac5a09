package dev.sluice.plan;

import static dev.sluice.plan.TestProjects.model;
import static dev.sluice.plan.TestProjects.project;
import static dev.sluice.plan.TestProjects.shopSources;
import static dev.sluice.plan.TestProjects.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceException;
import dev.sluice.project.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The constructs where Calcite and DuckDB can read a model differently: a model holding one is bound by DuckDB
 * beside Calcite; a model holding none takes Calcite's columns, which must be those DuckDB would report, and still
 * gets a located error for what Calcite rejects.
 */
class CrossCheckTest {
    private final DuckDbTestOracle oracle = new DuckDbTestOracle();

    @AfterEach
    void close() {
        oracle.close();
    }

    /** One model per construct of {@link CrossCheck#CONSTRUCTS}, over the shop's sources and raw.things. */
    private static final Map<String, String> EXAMPLES = new LinkedHashMap<>();

    static {
        // ORDER BY ALL (a column named ALL to Calcite) is read by Babel alone: ALL is a keyword to the core parser
        EXAMPLES.put(CrossCheck.BABEL, "SELECT id, status FROM raw.orders ORDER BY ALL");
        EXAMPLES.put(CrossCheck.STAR, "SELECT * FROM raw.orders");
        EXAMPLES.put(CrossCheck.NATURAL_OR_USING, "SELECT o.status FROM raw.orders o JOIN raw.customers c USING (id)");
        EXAMPLES.put(CrossCheck.UNNAMED, "SELECT status, count(*) FROM raw.orders GROUP BY status");
        EXAMPLES.put(CrossCheck.DUPLICATE, "SELECT o.id, c.id FROM raw.orders o JOIN raw.customers c ON c.id = o.customer_id");
        EXAMPLES.put(CrossCheck.BARE_DECIMAL, "SELECT CAST(amount AS DECIMAL) AS amount FROM raw.orders");
        EXAMPLES.put(CrossCheck.LITERAL, "SELECT id, 1.5 AS rate FROM raw.orders");
        EXAMPLES.put(CrossCheck.TYPED_CALL, "SELECT customer_id, sum(id) AS total FROM raw.orders GROUP BY customer_id");
        EXAMPLES.put(CrossCheck.FROM_CALL, "SELECT x AS y FROM (VALUES (1)) AS t (x)");
        EXAMPLES.put(CrossCheck.INEXACT_TYPE, "SELECT id, name FROM raw.things");
    }

    private static List<Source> sources() {
        List<Source> sources = new ArrayList<>(shopSources());
        sources.add(source("raw", "things", "id", "UUID", "name", "VARCHAR"));
        return sources;
    }

    @Test
    void everyListedConstructHasAnExample() {
        assertThat(EXAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(CrossCheck.CONSTRUCTS);
    }

    static Stream<Arguments> constructs() {
        return EXAMPLES.entrySet().stream().map(entry -> Arguments.of(entry.getKey(), entry.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("constructs")
    void aModelHoldingTheConstructIsBoundByDuckDb(String construct, String sql) throws Exception {
        if (!construct.equals(CrossCheck.INEXACT_TYPE)) {
            CalciteEnvironment.Parsed parsed = CalciteEnvironment.parseStatements(sql);
            assertThat(CrossCheck.find(parsed.statements().get(0), parsed.babel())).isNotNull()
                    .extracting(CrossCheck.Construct::name).isEqualTo(construct);
        }
        try {
            Planner.plan(project(sources(), model("m", sql)), oracle);
        } catch (SluiceException e) {
            // reported by the cross-check: a disagreement (ORDER BY ALL), or DuckDB refusing two columns named id
            assertThat(e.getMessage()).containsAnyOf("Calcite and DuckDB read the model differently",
                    "DuckDB rejects the model");
        }
        assertThat(oracle.boundModels()).contains("m");
    }

    @Test
    void babelReadsKeywordsAsNamesButTheModelIsBoundByDuckDb() throws Exception {
        String sql = "SELECT id AS value FROM raw.orders";
        CalciteEnvironment.Parsed parsed = CalciteEnvironment.parseStatements(sql);
        assertThat(CrossCheck.find(parsed.statements().get(0), parsed.babel()).name()).isEqualTo(CrossCheck.BABEL);
        Planner.plan(project(sources(), model("m", sql)), oracle);
        assertThat(oracle.boundModels()).containsExactly("m");
    }

    @Test
    void aNumberBesideAColumnInCoalesceOrCaseIsBoundByDuckDb() {
        Planner.plan(project(sources(),
                model("c", "SELECT coalesce(amount, 0) AS amount FROM raw.orders"),
                model("d", "SELECT CASE WHEN id > 3 THEN amount ELSE 0 END AS amount FROM raw.orders")), oracle);
        assertThat(oracle.boundModels()).containsExactlyInAnyOrder("c", "d");
    }

    @Test
    void aCastToAnInexactTypeIsBoundByDuckDb() {
        Planner.plan(project(sources(), model("m", "SELECT CAST(id AS TIMESTAMP) AS t FROM raw.orders")), oracle);
        assertThat(oracle.boundModels()).containsExactly("m");
    }

    /** Models with none of the constructs: the benchmark's four shapes and everyday ones. */
    static Stream<Arguments> plain() {
        return Stream.of(
                Arguments.of("columns and a filter", "SELECT id, status FROM raw.orders WHERE amount > 10"),
                Arguments.of("joins and coalesce", """
                        SELECT o.id, coalesce(c.name, o.status) AS name, CAST(o.amount * 2 AS DOUBLE) AS doubled,
                               o.ordered_at
                        FROM raw.orders AS o
                        LEFT JOIN (SELECT id, max(name) AS name FROM raw.customers GROUP BY id) AS c ON c.id = o.customer_id
                        WHERE o.ordered_at >= TIMESTAMP '2024-01-01 00:00:00'"""),
                Arguments.of("aggregate", """
                        WITH inputs AS (SELECT id, status, amount FROM raw.orders UNION ALL
                                        SELECT id, name, CAST(0 AS DECIMAL(18,2)) FROM raw.customers)
                        SELECT CAST(min(id) AS BIGINT) AS id, status, max(amount) AS top, count(*) AS n,
                               CAST(sum(amount) AS DOUBLE) AS total
                        FROM inputs GROUP BY status HAVING count(*) > 1"""),
                Arguments.of("case", """
                        SELECT id, CASE WHEN amount >= 500 THEN 'high' WHEN amount >= 100 THEN 'mid' ELSE status END AS band,
                               CASE WHEN id > 3 THEN true ELSE false END AS flag, amount > 3 AS big, 7 AS seven
                        FROM raw.orders"""),
                Arguments.of("window", """
                        WITH ranked AS (
                            SELECT id, customer_id, amount, ordered_at,
                                   row_number() OVER (PARTITION BY customer_id ORDER BY ordered_at DESC, id) AS rn,
                                   rank() OVER (ORDER BY amount) AS r
                            FROM raw.orders)
                        SELECT id, customer_id, rn, r,
                               CAST(sum(amount) OVER (PARTITION BY customer_id ORDER BY ordered_at, id
                                   ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS DOUBLE) AS moving
                        FROM ranked WHERE rn <= 3"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plain")
    void aModelWithoutThemTakesCalcitesColumnsWhichAreDuckDbsOwn(String name, String sql) {
        CalciteEnvironment.Parsed parsed;
        try {
            parsed = CalciteEnvironment.parseStatements(sql);
        } catch (org.apache.calcite.sql.parser.SqlParseException e) {
            throw new AssertionError(e);
        }
        assertThat(CrossCheck.find(parsed.statements().get(0), parsed.babel())).isNull();

        ProjectPlan plan = Planner.plan(project(sources(), model("m", sql)), oracle);

        assertThat(oracle.boundModels()).isEmpty();
        PlannedModel planned = plan.model("m").orElseThrow();
        assertThat(planned.columns()).isEqualTo(oracle.defineModel("main", "m_by_duckdb", planned.executableSql()));
    }

    @Test
    void aModelDownstreamOfOneTakenFromCalciteIsBoundAgainstItsColumns() {
        ProjectPlan plan = Planner.plan(project(sources(),
                model("a", "SELECT id, status FROM raw.orders"),
                model("b", "SELECT status, sum(id) AS total FROM a GROUP BY status")), oracle);

        assertThat(oracle.boundModels()).containsExactly("b");
        assertThat(plan.model("b").orElseThrow().columns())
                .containsExactly(new ColumnType("status", "VARCHAR"), new ColumnType("total", "HUGEINT"));
    }

    @Test
    void aModelWithoutThemStillGetsALocatedErrorForWhatCalciteRejects() {
        assertThatThrownBy(() -> Planner.plan(project(sources(),
                model("m", "SELECT id,\n       nme AS name\nFROM raw.customers")), oracle))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("models/m.sql:2:8")
                .hasMessageContaining("Column 'nme' not found");
    }
}
