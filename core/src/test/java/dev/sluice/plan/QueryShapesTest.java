package dev.sluice.plan;

import static dev.sluice.plan.TestProjects.duckDbParser;
import static dev.sluice.plan.TestProjects.model;
import static dev.sluice.plan.TestProjects.project;
import static dev.sluice.plan.TestProjects.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceException;
import dev.sluice.project.Source;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of everyday analytical query shapes: each must plan with Calcite and have lineage for every output
 * column, or (DuckDB syntax Calcite cannot read) be refused with a located message that names {@code parser: duckdb},
 * which then plans it.
 */
class QueryShapesTest {
    private final DuckDbTestOracle oracle = new DuckDbTestOracle();

    @AfterEach
    void close() {
        oracle.close();
    }

    private static List<Source> sources() {
        return List.of(
                source("raw", "orders", "id", "BIGINT", "customer_id", "BIGINT", "amount", "DECIMAL(18,2)",
                        "status", "VARCHAR", "ordered_at", "TIMESTAMP", "shipped_on", "DATE", "tags", "VARCHAR[]"),
                source("raw", "customers", "id", "BIGINT", "name", "VARCHAR", "country", "VARCHAR"));
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                shape("group by position of a CASE", """
                        SELECT CASE WHEN x > 1 THEN 'big' ELSE 'small' END AS size, count(*) AS n
                        FROM (SELECT 1 AS x UNION ALL SELECT 2) AS t GROUP BY 1"""),
                shape("group by a CASE expression", """
                        SELECT CASE WHEN amount > 10 THEN 'big' ELSE 'small' END AS size, count(*) AS n
                        FROM raw.orders GROUP BY CASE WHEN amount > 10 THEN 'big' ELSE 'small' END"""),
                shape("group by a CASE alias", """
                        SELECT CASE WHEN amount > 10 THEN 'big' ELSE 'small' END AS size, sum(amount) AS total
                        FROM raw.orders GROUP BY size"""),
                shape("group by COALESCE", """
                        SELECT coalesce(status, 'none') AS status, count(*) AS n
                        FROM raw.orders GROUP BY coalesce(status, 'none')"""),
                shape("group by COALESCE by position", """
                        SELECT coalesce(status, 'none') AS s, count(*) AS n FROM raw.orders GROUP BY 1"""),
                shape("group by several positions", """
                        SELECT customer_id, status, sum(amount) AS total FROM raw.orders GROUP BY 1, 2"""),
                shape("group by an expression with HAVING on it", """
                        SELECT upper(status) AS s, count(*) AS n FROM raw.orders GROUP BY upper(status)
                        HAVING count(*) > 1 AND upper(status) <> 'X'"""),
                shape("grouping sets", """
                        SELECT status, customer_id, sum(amount) AS total
                        FROM raw.orders GROUP BY GROUPING SETS ((status), (customer_id), ())"""),
                shape("rollup with grouping()", """
                        SELECT status, customer_id, grouping(status, customer_id) AS level, sum(amount) AS total
                        FROM raw.orders GROUP BY ROLLUP (status, customer_id)"""),
                shape("cube", """
                        SELECT status, customer_id, count(*) AS n FROM raw.orders GROUP BY CUBE (status, customer_id)"""),
                shape("rollup of a CASE", """
                        SELECT CASE WHEN amount > 10 THEN 'big' ELSE 'small' END AS size, status, count(*) AS n
                        FROM raw.orders GROUP BY ROLLUP (1, 2)"""),
                shape("aggregate FILTER", """
                        SELECT customer_id, count(*) FILTER (WHERE status = 'open') AS open_orders,
                               sum(amount) FILTER (WHERE status <> 'cancelled') AS kept
                        FROM raw.orders GROUP BY customer_id"""),
                shape("QUALIFY", """
                        SELECT id, customer_id, amount FROM raw.orders
                        QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY ordered_at DESC) = 1"""),
                shape("window frames", """
                        SELECT id,
                               sum(amount) OVER (PARTITION BY customer_id ORDER BY ordered_at
                                   ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS rolling,
                               avg(amount) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
                                   AS overall,
                               lag(amount, 1) OVER (PARTITION BY customer_id ORDER BY ordered_at) AS previous,
                               rank() OVER (ORDER BY amount DESC) AS amount_rank
                        FROM raw.orders"""),
                shape("window over a range of time", """
                        SELECT id, sum(amount) OVER (PARTITION BY customer_id ORDER BY ordered_at
                            RANGE BETWEEN INTERVAL '7' DAY PRECEDING AND CURRENT ROW) AS week_total
                        FROM raw.orders"""),
                shape("named window", """
                        SELECT id, sum(amount) OVER w AS running FROM raw.orders
                        WINDOW w AS (PARTITION BY customer_id ORDER BY ordered_at)"""),
                shape("lateral join", """
                        SELECT c.id, c.name, top.amount
                        FROM raw.customers c,
                        LATERAL (SELECT o.amount FROM raw.orders o WHERE o.customer_id = c.id
                                 ORDER BY o.amount DESC LIMIT 1) AS top"""),
                shape("left join lateral", """
                        SELECT c.id, top.amount FROM raw.customers c
                        LEFT JOIN LATERAL (SELECT max(o.amount) AS amount FROM raw.orders o WHERE o.customer_id = c.id)
                            AS top ON true"""),
                shape("UNNEST of a list column", """
                        SELECT o.id, t.tag FROM raw.orders o CROSS JOIN UNNEST(o.tags) AS t (tag)"""),
                shape("string_agg and list aggregates", """
                        SELECT customer_id, string_agg(status, ',') AS statuses,
                               array_agg(amount) AS amounts, count(DISTINCT status) AS kinds
                        FROM raw.orders GROUP BY customer_id"""),
                shape("ordered string_agg", """
                        SELECT customer_id, string_agg(status, ',' ORDER BY id) AS statuses
                        FROM raw.orders GROUP BY customer_id"""),
                shape("list aggregate", """
                        SELECT customer_id, list(id) AS ids FROM raw.orders GROUP BY customer_id"""),

                shape("date arithmetic", """
                        SELECT id, ordered_at + INTERVAL '1' DAY AS next_day,
                               CAST(ordered_at AS DATE) AS order_date,
                               date_trunc('month', ordered_at) AS order_month,
                               EXTRACT(YEAR FROM ordered_at) AS order_year,
                               date_diff('day', ordered_at, ordered_at) AS same_day,
                               date_part('dow', ordered_at) AS weekday,
                               shipped_on - INTERVAL '7' DAY AS week_before
                        FROM raw.orders
                        WHERE ordered_at >= TIMESTAMP '2024-01-01 00:00:00' - INTERVAL '30' DAY"""),
                shape("group by a truncated date", """
                        SELECT date_trunc('month', ordered_at) AS month, sum(amount) AS total
                        FROM raw.orders GROUP BY 1 ORDER BY 1"""),
                shape("CASE in every clause", """
                        SELECT CASE WHEN o.status = 'open' THEN 'o' ELSE 'x' END AS state,
                               sum(CASE WHEN o.amount > 0 THEN o.amount ELSE 0 END) AS positive,
                               max(c.country) AS country
                        FROM raw.orders o
                        JOIN raw.customers c
                          ON c.id = CASE WHEN o.customer_id > 0 THEN o.customer_id ELSE 0 END
                        WHERE CASE WHEN o.status IS NULL THEN false ELSE true END
                        GROUP BY CASE WHEN o.status = 'open' THEN 'o' ELSE 'x' END
                        HAVING sum(CASE WHEN o.amount > 0 THEN 1 ELSE 0 END) > 0
                        ORDER BY CASE WHEN max(c.country) = 'DE' THEN 0 ELSE 1 END"""),
                shape("CASE inside a window", """
                        SELECT id, sum(amount) OVER (PARTITION BY CASE WHEN status = 'open' THEN 1 ELSE 0 END
                                                     ORDER BY ordered_at) AS running
                        FROM raw.orders"""),
                shape("CTE grouped by a CASE then joined", """
                        WITH sized AS (
                            SELECT customer_id, CASE WHEN sum(amount) > 100 THEN 'vip' ELSE 'regular' END AS tier
                            FROM raw.orders GROUP BY customer_id)
                        SELECT s.tier, count(*) AS customers FROM sized s JOIN raw.customers c ON c.id = s.customer_id
                        GROUP BY s.tier"""),
                shape("DISTINCT with a CASE", """
                        SELECT DISTINCT CASE WHEN amount > 10 THEN 'big' ELSE 'small' END AS size FROM raw.orders"""),
                shape("UNION ALL of groupings", """
                        SELECT status AS k, count(*) AS n FROM raw.orders GROUP BY status
                        UNION ALL
                        SELECT country AS k, count(*) AS n FROM raw.customers GROUP BY country"""),
                shape("integer division as a function", """
                        SELECT id, divide(id, 2) AS half, id % 2 AS parity FROM raw.orders"""),
                shape("IN list and BETWEEN", """
                        SELECT id FROM raw.orders
                        WHERE status IN ('open', 'shipped') AND amount BETWEEN 1 AND 100"""));
    }

    /** Shapes Calcite cannot read: refused where they are, naming the way out, and planned once it is taken. */
    static Stream<Arguments> refused() {
        return Stream.of(
                refusal("GROUP BY ALL", "SELECT status, count(*) AS n\nFROM raw.orders\nGROUP BY ALL", "3:1"),
                refusal("DISTINCT ON", "SELECT DISTINCT ON (status) status, id FROM raw.orders", "1:8"),
                refusal("list literal", "SELECT id, [1, 2] AS xs FROM raw.orders", "1:12"),
                refusal("lambda", "SELECT list_transform(tags, lambda x: upper(x)) AS t FROM raw.orders", "1:29"),
                refusal("date_diff over an expression",
                        "SELECT id,\n  date_diff('day', ordered_at, CAST(shipped_on AS TIMESTAMP)) AS d\nFROM raw.orders",
                        "2:3"),
                refusal("integer division", "SELECT id // 2 AS half FROM raw.orders", "1:11"));
    }

    private static Arguments refusal(String name, String sql, String position) {
        return Arguments.of(name, sql, position);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWithALocatedMessageNamingTheDuckDbParser(String name, String sql, String position) {
        assertThatThrownBy(() -> Planner.plan(project(sources(), model("shape", sql)), oracle))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("models/shape.sql:" + position + ": ")
                .hasMessageContaining("declare `parser: duckdb` in the model's front matter");

        ProjectPlan plan = Planner.plan(project(sources(), duckDbParser(model("shape", sql))), oracle);
        assertThat(plan.model("shape").orElseThrow().opaque()).isTrue();
    }

    private static Arguments shape(String name, String sql) {
        return Arguments.of(name, sql);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void plansWithLineageForEveryColumn(String name, String sql) {
        ProjectPlan plan = Planner.plan(project(sources(), model("shape", sql)), oracle);

        PlannedModel planned = plan.model("shape").orElseThrow();
        assertThat(planned.opaque()).isFalse();
        assertThat(planned.lineage().keySet()).as("lineage of %s", name)
                .containsExactlyElementsOf(planned.columns().stream().map(ColumnType::name).toList());
    }
}
