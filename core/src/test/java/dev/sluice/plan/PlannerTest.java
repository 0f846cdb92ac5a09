package dev.sluice.plan;

import static dev.sluice.plan.TestProjects.disabled;
import static dev.sluice.plan.TestProjects.duckDbParser;
import static dev.sluice.plan.TestProjects.ephemeral;
import static dev.sluice.plan.TestProjects.inSchema;
import static dev.sluice.plan.TestProjects.model;
import static dev.sluice.plan.TestProjects.project;
import static dev.sluice.plan.TestProjects.shop;
import static dev.sluice.plan.TestProjects.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.project.Model;
import dev.sluice.project.Project;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlannerTest {
    private final DuckDbTestOracle oracle = new DuckDbTestOracle();

    @AfterEach
    void close() {
        oracle.close();
    }

    private ProjectPlan plan(Project project) {
        return Planner.plan(project, oracle);
    }

    private SluiceException failure(Project project) {
        try {
            Planner.plan(project, oracle);
        } catch (SluiceException e) {
            return e;
        }
        throw new AssertionError("expected the plan to fail");
    }

    private static Model staging() {
        return inSchema(model("stg_orders", """
                /*--- yaml
                materialized: view
                ---*/
                SELECT id, customer_id, amount, status
                FROM orders
                WHERE status <> 'cancelled';
                """), "staging");
    }

    private static Model revenue() {
        return inSchema(model("revenue", """
                SELECT c.country, SUM(o.amount) AS revenue
                FROM stg_orders o
                JOIN raw.customers c ON c.id = o.customer_id
                GROUP BY c.country
                """), "marts");
    }

    @Test
    void plansModelsInTopologicalOrderWithDuckDbColumns() {
        ProjectPlan plan = plan(shop(revenue(), staging()));

        assertThat(plan.models()).extracting(PlannedModel::name).containsExactly("stg_orders", "revenue");
        PlannedModel revenue = plan.model("REVENUE").orElseThrow();
        assertThat(revenue.upstreamModels()).containsExactly("stg_orders");
        assertThat(revenue.upstreamSources()).containsExactly("raw.customers");
        assertThat(revenue.columns()).containsExactly(
                new ColumnType("country", "VARCHAR"), new ColumnType("revenue", "DECIMAL(38,2)"));
        assertThat(revenue.opaque()).isFalse();
        assertThat(plan.upstream("revenue")).containsExactly("stg_orders");
        assertThat(plan.downstream("stg_orders")).containsExactly("revenue");
        assertThat(plan.allUpstream("revenue")).containsExactly("stg_orders");
        assertThat(plan.allDownstream("stg_orders")).containsExactly("revenue");
        assertThat(plan.model("missing")).isEmpty();
        assertThat(plan.upstream("missing")).isEmpty();
    }

    @Test
    void executableSqlIsTheModelsOwnTextWithQuotedNamesAndNoSemicolon() {
        ProjectPlan plan = plan(shop(revenue(), staging()));

        assertThat(plan.model("stg_orders").orElseThrow().executableSql()).isEqualTo("""
                /*--- yaml
                materialized: view
                ---*/
                SELECT id, customer_id, amount, status
                FROM "raw"."orders"
                WHERE status <> 'cancelled'
                """);
        assertThat(plan.model("revenue").orElseThrow().executableSql()).isEqualTo("""
                SELECT c.country, SUM(o.amount) AS revenue
                FROM "staging"."stg_orders" o
                JOIN "raw"."customers" c ON c.id = o.customer_id
                GROUP BY c.country
                """);
    }

    @Test
    void rewritesQuotedMixedCaseAndTabbedReferencesInPlace() {
        Model model = model("m", "select o.id\nfrom\t\"raw\".\"orders\" o join\tRAW.Customers c\n  on c.id = o.customer_id"
                + "\nunion all select id from (select id from Orders) x where id in (select id from raw.customers)");

        String sql = plan(shop(model)).model("m").orElseThrow().executableSql();

        assertThat(sql).isEqualTo("select o.id\nfrom\t\"raw\".\"orders\" o join\t\"raw\".\"customers\" c\n"
                + "  on c.id = o.customer_id\nunion all select id from (select id from \"raw\".\"orders\") x"
                + " where id in (select id from \"raw\".\"customers\")");
    }

    @Test
    void reportsParseErrorsWithTheirLocation() {
        SluiceException e = failure(shop(model("broken", "SELECT id\nFROM raw.orders\nWHERE (id = 1")));

        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INVALID);
        assertThat(e.getMessage()).startsWith("Cannot parse models/broken.sql:3:")
                .contains("Encountered")
                .contains("declare `parser: duckdb`");
    }

    @Test
    void namesDuckDbConstructsThatCalciteCannotParse() {
        SluiceException e = failure(shop(
                model("grouped", "SELECT status, count(*) AS n\nFROM raw.orders\nGROUP BY ALL"),
                model("listed", "-- a list\nSELECT [1, 2] AS xs"),
                model("distinct_on", "SELECT DISTINCT ON (status) status, id FROM raw.orders"),
                model("from_first", "/* x */ FROM raw.orders SELECT id")));

        assertThat(e.problems()).containsExactly(
                "Cannot parse models/distinct_on.sql:1:8: Calcite cannot read DuckDB's DISTINCT ON"
                        + " (Incorrect syntax near the keyword 'ON'); declare `parser: duckdb` in the model's front matter, or rewrite"
                        + " it in standard SQL",
                "Cannot parse models/from_first.sql:1:9: Calcite cannot read DuckDB's FROM-first syntax"
                        + " (Incorrect syntax near the keyword 'FROM'); declare `parser: duckdb` in the model's front matter, or"
                        + " rewrite it in standard SQL",
                "Cannot parse models/grouped.sql:3:1: Calcite cannot read DuckDB's GROUP BY ALL"
                        + " (Encountered \"<EOF>\"); declare `parser: duckdb` in the model's front matter, or"
                        + " rewrite it in standard SQL",
                "Cannot parse models/listed.sql:2:8: Calcite cannot read DuckDB's list literal [...]"
                        + " (Encountered \"[ 1\"); declare `parser: duckdb` in the model's front matter, or rewrite"
                        + " it in standard SQL");
        assertThat(e.getMessage()).startsWith("Cannot plan project 'shop': 4 problems");
    }

    @Test
    void refusesSeveralStatementsInOneModel() {
        SluiceException e = failure(shop(model("two", "SELECT 1 AS a;\n\n  SELECT 2 AS b;")));

        assertThat(e.getMessage()).isEqualTo("Cannot parse models/two.sql:3:3: a model holds exactly one"
                + " statement, found 2; move the others into models of their own");
    }

    @Test
    void refusesStatementsThatAreNotQueries() {
        SluiceException e = failure(shop(model("ins", "INSERT INTO raw.orders SELECT * FROM raw.orders")));

        assertThat(e.getMessage()).startsWith("Cannot parse models/ins.sql:1:1: a model is one query, found a INSERT");
    }

    @Test
    void unknownTableIsLocatedWithASuggestion() {
        SluiceException e = failure(shop(staging(), model("revenue", "SELECT id\n  FROM stg_ordrs")));

        assertThat(e.getMessage()).isEqualTo(
                "Cannot resolve table 'stg_ordrs' in models/revenue.sql:2:8; did you mean 'stg_orders'?");
    }

    @Test
    void unknownTableWithoutACloseNameSaysHowToDeclareIt() {
        SluiceException e = failure(shop(model("m", "SELECT * FROM warehouse.inventory_snapshots")));

        assertThat(e.getMessage()).isEqualTo("Cannot resolve table 'warehouse.inventory_snapshots' in"
                + " models/m.sql:1:15: no model or source has that name; declare it as a source in sluice.yml or"
                + " add a model of that name");
    }

    @Test
    void referenceToADisabledModelSaysSo() {
        SluiceException e = failure(shop(disabled(staging()), model("m", "SELECT * FROM stg_orders")));

        assertThat(e.getMessage()).isEqualTo("Cannot resolve table 'stg_orders' in models/m.sql:1:15: model"
                + " 'stg_orders' is disabled (enabled: false); enable it or stop reading it");
    }

    @Test
    void ambiguousSourceTableNeedsASchema() {
        Project project = project(List.of(source("raw", "orders", "id", "BIGINT"), source("crm", "orders", "id",
                "BIGINT")), model("m", "SELECT * FROM orders"));

        assertThat(failure(project).getMessage()).isEqualTo("Cannot resolve table 'orders' in models/m.sql:1:15:"
                + " it names the sources crm.orders and raw.orders; qualify it as schema.table");
    }

    @Test
    void cteNamesAreNotTableReferences() {
        Model model = model("m", """
                WITH orders AS (SELECT 1 AS id), recent AS (SELECT id FROM orders)
                SELECT * FROM recent""");

        PlannedModel planned = plan(shop(model)).model("m").orElseThrow();

        assertThat(planned.upstreamSources()).isEmpty();
        assertThat(planned.executableSql()).isEqualTo(model.sql());
    }

    @Test
    void cycleIsReportedAsAPath() {
        SluiceException e = failure(shop(
                model("a", "SELECT * FROM c"), model("b", "SELECT * FROM a"), model("c", "SELECT * FROM b"),
                model("self", "SELECT * FROM self")));

        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_CYCLE);
        assertThat(e.problems()).containsExactly(
                "Cannot order models: they read each other in a cycle a → b → c → a (each model reads the one"
                        + " before it); remove one of these references",
                "Cannot order models: they read each other in a cycle self → self (each model reads the one before"
                        + " it); remove one of these references");
    }

    @Test
    void unknownColumnIsLocated() {
        SluiceException e = failure(shop(model("m", "SELECT id,\n       amout\nFROM raw.orders")));

        assertThat(e.getMessage()).isEqualTo(
                "Cannot validate models/m.sql:2:8: Column 'amout' not found in any table; fix the query");
    }

    @Test
    void typeErrorIsLocated() {
        SluiceException e = failure(shop(model("m", "SELECT ordered_at + amount AS s FROM raw.orders")));

        assertThat(e.getMessage()).startsWith("Cannot validate models/m.sql:1:8: Cannot apply '+' to arguments");
    }

    @Test
    void integerDivisionThatCalciteReadsAsACommentIsCaught() {
        SluiceException e = failure(shop(model("m", "SELECT id, amount // 2 AS half\nFROM raw.orders")));

        assertThat(e.getMessage()).isEqualTo("Cannot parse models/m.sql:1:19: Calcite reads DuckDB's integer"
                + " division `//` as the start of a comment; write divide(a, b) instead, or declare `parser: duckdb` in"
                + " the model's front matter");
    }

    @Test
    void orderByAllIsCaught() {
        SluiceException e = failure(shop(model("m", "SELECT id, status\nFROM raw.orders\nORDER BY ALL")));

        assertThat(e.getMessage()).startsWith("Cannot validate models/m.sql:3:10: Calcite and DuckDB read the model"
                + " differently: Calcite says Column 'ALL' not found in any table, DuckDB accepts it with the columns"
                + " (id, status)");
    }

    @Test
    void duckDbRejectionIsReportedWithDuckDbsMessage() {
        // unknown functions pass Calcite's lenient lookup; DuckDB has the last word
        SluiceException e = failure(shop(model("m", "SELECT id,\n  frobnicate(status) AS f\nFROM raw.orders")));

        assertThat(e.getMessage()).startsWith("Cannot validate models/m.sql: DuckDB rejects the model: ")
                .contains("frobnicate").endsWith("; fix the query");
    }

    @Test
    void knowsDuckDbFunctionsFromTheOracle() {
        Model model = model("m", """
                SELECT customer_id,
                       arg_max(id, amount) AS last_id,
                       approx_count_distinct(status) AS statuses,
                       max(strftime(ordered_at, '%Y')) AS year,
                       max(date_trunc('month', ordered_at)) AS month,
                       bool_or(regexp_matches(status, '^p')) AS any_pending,
                       string_agg(status, ',') AS statuses_text,
                       max(epoch(ordered_at)) AS seconds
                FROM raw.orders
                GROUP BY customer_id""");

        PlannedModel planned = plan(shop(model)).model("m").orElseThrow();

        assertThat(planned.columns()).extracting(ColumnType::name).containsExactly("customer_id", "last_id",
                "statuses", "year", "month", "any_pending", "statuses_text", "seconds");
    }

    @Test
    void acceptsDuckDbCastsAndBabelSyntax() {
        Model model = model("m", """
                SELECT id::hugeint AS big, status::text AS s, amount::DECIMAL(38, 10) AS precise,
                       ordered_at::TIMESTAMP_NS AS ns, year(ordered_at) AS value
                FROM raw.orders
                QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY ordered_at DESC) = 1""");

        PlannedModel planned = plan(shop(model)).model("m").orElseThrow();

        assertThat(planned.columns()).extracting(ColumnType::type)
                .containsExactly("HUGEINT", "VARCHAR", "DECIMAL(38,10)", "TIMESTAMP_NS", "BIGINT");
    }

    @Test
    void ephemeralModelsAreInlinedAsCommonTableExpressions() {
        Model paid = ephemeral(model("paid", "SELECT id, amount FROM raw.orders WHERE status = 'paid';"));
        Model big = ephemeral(model("big_paid", "SELECT * FROM paid WHERE amount > 100"));
        Model plain = model("report", "-- report\nSELECT count(*) AS n FROM big_paid");
        Model withList = model("with_list", "WITH x AS (SELECT id FROM paid) SELECT * FROM x");
        Model recursive = model("recursive_one", """
                WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3)
                SELECT r.n, p.id FROM r JOIN paid p ON p.id = r.n""");

        ProjectPlan plan = plan(shop(paid, big, plain, withList, recursive));

        assertThat(plan.model("big_paid").orElseThrow().executableSql()).isEqualTo(
                "WITH \"paid\" AS (\nSELECT id, amount FROM \"raw\".\"orders\" WHERE status = 'paid'\n)\n"
                        + "SELECT * FROM \"paid\" WHERE amount > 100");
        assertThat(plan.model("report").orElseThrow().executableSql()).isEqualTo(
                "-- report\nWITH \"big_paid\" AS (\nWITH \"paid\" AS (\nSELECT id, amount FROM \"raw\".\"orders\""
                        + " WHERE status = 'paid'\n)\nSELECT * FROM \"paid\" WHERE amount > 100\n)\n"
                        + "SELECT count(*) AS n FROM \"big_paid\"");
        assertThat(plan.model("with_list").orElseThrow().executableSql()).isEqualTo(
                "WITH\n\"paid\" AS (\nSELECT id, amount FROM \"raw\".\"orders\" WHERE status = 'paid'\n),"
                        + " x AS (SELECT id FROM \"paid\") SELECT * FROM x");
        assertThat(plan.model("recursive_one").orElseThrow().executableSql()).startsWith(
                "WITH RECURSIVE\n\"paid\" AS (\nSELECT id, amount FROM \"raw\".\"orders\" WHERE status = 'paid'\n),"
                        + " r(n) AS");
        assertThat(plan.model("report").orElseThrow().upstreamModels()).containsExactly("big_paid");
        assertThat(plan.models()).extracting(PlannedModel::name)
                .containsExactly("paid", "big_paid", "recursive_one", "report", "with_list");
        assertThat(plan.select(dev.sluice.plan.Selection.all())).extracting(PlannedModel::name)
                .containsExactly("recursive_one", "report", "with_list");
    }

    @Test
    void duckDbParserModelsAreOpaqueButPlanned() {
        Model grouped = duckDbParser(inSchema(model("by_status", """
                /*--- yaml
                parser: duckdb
                ---*/
                WITH recent AS (FROM orders WHERE ordered_at > DATE '2024-01-01')
                SELECT status, count(*) AS n, list(recent.id) AS ids
                FROM recent, raw.customers AS c
                GROUP BY ALL;"""), "marts"));
        Model downstream = model("top_status", "SELECT status FROM marts.by_status ORDER BY n DESC LIMIT 1");

        ProjectPlan plan = plan(shop(grouped, downstream));

        PlannedModel planned = plan.model("by_status").orElseThrow();
        assertThat(planned.opaque()).isTrue();
        assertThat(planned.upstreamSources()).containsExactlyInAnyOrder("raw.orders", "raw.customers");
        assertThat(planned.columns()).extracting(ColumnType::name).containsExactly("status", "n", "ids");
        assertThat(planned.executableSql()).contains("WITH recent AS (FROM \"raw\".\"orders\" WHERE")
                .contains("FROM recent, \"raw\".\"customers\" AS c").endsWith("GROUP BY ALL");
        assertThat(plan.upstream("top_status")).containsExactly("by_status");
    }

    @Test
    void duckDbParserModelsAreTiedToTheDuckDbEngine() {
        Project shop = shop(duckDbParser(model("m", "SELECT status FROM raw.orders GROUP BY ALL")));
        Project onSpark = new Project(shop.root(), shop.name(), shop.warehouse(), shop.catalog(), shop.vars(),
                shop.sources(), shop.defaults(), shop.models(), shop.secrets(), shop.secretVars(), shop.allowedPaths(),
                "spark");

        SluiceException e = failure(onSpark);

        assertThat(e.problems()).containsExactly("Cannot plan models/m.sql:1:1: parser: duckdb ties model m to the "
                + "DuckDB engine (its SQL is DuckDB's own, which Calcite cannot read), but the project runs on engine "
                + "'spark'; write the model in SQL Calcite reads and remove parser: duckdb, or set engine: duckdb in "
                + "sluice.yml");
        assertThat(plan(shop).model("m")).isPresent();
    }

    @Test
    void duckDbParserErrorsAreReported() {
        SluiceException e = failure(shop(duckDbParser(model("m", "SELEC status FROM raw.orders"))));

        assertThat(e.getMessage()).startsWith("Cannot parse models/m.sql: DuckDB rejects it: ")
                .contains("syntax error").endsWith("; fix the syntax");
    }

    @Test
    void duckDbParserModelThatDuckDbCannotBindIsReported() {
        SluiceException e = failure(shop(duckDbParser(model("m", "SELECT nope FROM raw.orders GROUP BY ALL"))));

        assertThat(e.getMessage()).startsWith("Cannot validate models/m.sql").contains("DuckDB rejects the model")
                .contains("nope");
    }

    @Test
    void modelsDownstreamOfAnInvalidModelAreNotValidated() {
        SluiceException e = failure(shop(
                model("a", "SELECT nope FROM raw.orders"), model("b", "SELECT * FROM a"), model("c", "SELECT * FROM b"),
                model("d", "SELECT * FROM raw.customers WHERE nothing = 1")));

        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0)).startsWith("Cannot validate models/a.sql:1:8: Column 'nope' not found");
        assertThat(e.problems().get(1)).startsWith("Cannot validate models/d.sql:1:");
        assertThat(e.getMessage()).startsWith("Cannot plan project 'shop': 2 problems");
    }

    @Test
    void sourceThatCannotBeDefinedMakesOnlyItsReadersUnavailable() {
        Project project = project(List.of(source("raw", "empty"), source("raw", "orders", "id", "BIGINT")),
                model("m", "SELECT * FROM raw.empty"), model("m_daily", "SELECT count(*) AS n FROM m"),
                model("ok", "SELECT id FROM raw.orders"));
        String why = "Cannot define source 'raw.empty' (sluice.yml:3:5): the test oracle needs declared columns;"
                + " declare them";

        ProjectPlan plan = plan(project);

        assertThat(plan.models()).extracting(PlannedModel::name).containsExactly("ok");
        assertThat(plan.unavailable()).containsOnly(java.util.Map.entry("m", List.of(why)),
                java.util.Map.entry("m_daily", List.of(why)));
        assertThat(plan.select(new Selection(List.of("ok"), List.of()))).extracting(PlannedModel::name)
                .containsExactly("ok");
        assertThatThrownBy(() -> plan.select(new Selection(List.of("m_daily"), List.of())))
                .isInstanceOf(SluiceException.class).hasMessage(why)
                .satisfies(e -> assertThat(((SluiceException) e).code()).isEqualTo(ErrorCode.SOURCE_INVALID));
        assertThatThrownBy(() -> plan.select(new Selection(List.of(), List.of()))).hasMessage(why);
    }

    @Test
    void anUnreadableSourceIsReportedWithTheOtherProblems() {
        Project project = project(List.of(source("raw", "empty")), model("m", "SELECT * FROM raw.empty"),
                model("broken", "SELECT FROM"));

        assertThat(failure(project).problems()).hasSize(2).contains("Cannot define source 'raw.empty'"
                + " (sluice.yml:3:5): the test oracle needs declared columns; declare them");
    }

    @Test
    void disabledModelsAreLeftOut() {
        ProjectPlan plan = plan(shop(staging(), disabled(model("old", "SELECT * FROM nowhere"))));

        assertThat(plan.models()).extracting(PlannedModel::name).containsExactly("stg_orders");
        assertThat(plan.model("old")).isEmpty();
    }

    @Test
    void aModelRecordsTheWindowBoundsItsSqlReadsOutsideCommentsAndLiterals() {
        // as ${window_start} is substituted; the other bound only in a comment and a literal, another variable read
        String sql = """
                SELECT id, amount FROM raw.orders
                WHERE CAST(id AS VARCHAR) <> 'getvariable(''window_end'')'
                  AND CAST(getvariable('window_start') AS TIMESTAMP) IS NULL -- getvariable('window_end')
                  AND getvariable('region') IS NULL
                """;
        ProjectPlan plan = plan(shop(model("calcite", sql), duckDbParser(model("duckdb", sql)),
                model("none", "SELECT id FROM raw.orders")));

        assertThat(plan.model("calcite").orElseThrow().windowBounds()).containsExactly("window_start");
        assertThat(plan.model("duckdb").orElseThrow().windowBounds()).containsExactly("window_start");
        assertThat(plan.model("none").orElseThrow().windowBounds()).isEmpty();
    }

    @Test
    void modelsAreFoundByQualifiedName() {
        ProjectPlan plan = plan(shop(staging(), model("m", "SELECT * FROM Staging.STG_ORDERS")));

        assertThat(plan.model("m").orElseThrow().executableSql())
                .isEqualTo("SELECT * FROM \"staging\".\"stg_orders\"");
    }
}
