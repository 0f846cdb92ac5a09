package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.cli.Main;
import dev.sluice.Lineage.Edge;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Column lineage derived from the query plans of a whole pipeline folder. */
class LineageIT {
    @TempDir
    Path dir;

    @Test
    void upstreamFollowsJoinsAggregatesAndEphemeralModelsToTheSources() {
        Lineage lineage = Sluice.open(ProjectFixture.example("retail", dir).root()).lineage();
        List<Edge> upstream = lineage.upstream("customer_lifetime_value.lifetime_value", 0);
        String clv = "marts.customer_lifetime_value.lifetime_value";
        assertThat(upstream).contains(
                new Edge("marts.orders.order_amount", clv, "DIRECT", "AGGREGATION"),
                new Edge("main.int_order_totals.order_amount", "marts.orders.order_amount", "DIRECT", "IDENTITY"),
                new Edge("raw.order_items.quantity", "staging.stg_order_items.line_amount", "DIRECT", "TRANSFORMATION"),
                new Edge("raw.products.list_price", "staging.stg_products.list_price", "DIRECT", "IDENTITY"));
        // Columns that decide which rows count or how they combine are indirect: parser-only tools miss these.
        assertThat(lineage.upstream("customer_lifetime_value.lifetime_value", 1)).containsExactlyInAnyOrder(
                new Edge("marts.orders.order_amount", clv, "DIRECT", "AGGREGATION"),
                new Edge("marts.customers.customer_id", clv, "INDIRECT", "JOIN"),
                new Edge("marts.orders.customer_id", clv, "INDIRECT", "JOIN"),
                new Edge("marts.customers.customer_id", clv, "INDIRECT", "GROUP_BY"),
                new Edge("marts.customers.country", clv, "INDIRECT", "GROUP_BY"),
                new Edge("marts.orders.returned", clv, "INDIRECT", "CONDITIONAL"),
                new Edge("marts.customers.country", clv, "INDIRECT", "WINDOW"),
                new Edge("marts.orders.order_amount", clv, "INDIRECT", "WINDOW"),
                // coalesce(x, 0) is CASE WHEN x IS NOT NULL ...: x also decides which value is taken
                new Edge("marts.orders.order_amount", clv, "INDIRECT", "CONDITIONAL"));
        assertThat(lineage.upstream("daily_revenue.revenue", 1)).contains(
                new Edge("marts.orders.order_date", "marts.daily_revenue.revenue", "INDIRECT", "SORT"));
        assertThat(lineage.upstream("stg_orders.order_id", 1)).contains(
                new Edge("raw.orders.status", "staging.stg_orders.order_id", "INDIRECT", "FILTER"));
        assertThat(lineage.downstream("raw.orders.order_date", 0)).extracting(Edge::to)
                .contains("staging.stg_orders.order_date", "marts.daily_revenue.order_date");
        assertThat(lineage.underived()).isEmpty();
        assertThat(lineage.path("raw.products.list_price", "customer_lifetime_value.lifetime_value"))
                .extracting(Edge::from).containsExactly("raw.products.list_price", "staging.stg_products.list_price",
                        "staging.stg_order_items.line_amount", "main.int_order_totals.order_amount",
                        "marts.orders.order_amount");
        assertThat(lineage.path("raw.customers.signup_date", "daily_revenue.revenue")).isEmpty();
    }

    @Test
    void aTargetMayBeAWholeModelOrSource() {
        Path retail = ProjectFixture.example("retail", dir).root();
        Lineage lineage = Sluice.open(retail).lineage();
        // "orders" is the model marts.orders, not the source raw.orders
        assertThat(lineage.columnsOf("orders")).containsExactly("marts.orders.order_id", "marts.orders.customer_id",
                "marts.orders.order_date", "marts.orders.order_amount", "marts.orders.items", "marts.orders.returned",
                "marts.orders.currency");
        assertThat(lineage.columnsOf("raw.orders")).contains("raw.orders.status");
        assertThat(lineage.columnsOf("orders.order_id")).isEmpty();
        assertThat(lineage.upstream(lineage.columnsOf("daily_revenue"), 1)).extracting(Edge::from).containsOnly(
                "marts.orders.order_date", "marts.orders.order_amount", "marts.orders.returned");
        assertThat(run("lineage", retail.toString(), "raw.returns", "--downstream", "--depth", "1"))
                .contains("Downstream of raw.returns:")
                .contains("staging.stg_returns.reason <- raw.returns.reason (direct transformation): lower(reason)")
                .contains("marts.returns_log.order_id <- raw.returns.order_id (direct identity)");

        Path twice = ProjectFixture.at(dir.resolve("twice")).write("sluice.yml", """
                name: twice
                sources:
                  a.items: { type: synthetic, rows: 1, columns: { id: { type: BIGINT, generator: sequence } } }
                  b.items: { type: synthetic, rows: 1, columns: { id: { type: BIGINT, generator: sequence } } }
                """).getParent();
        ProjectFixture.at(twice).write("models/both.sql", "SELECT a.id FROM a.items a JOIN b.items b ON a.id = b.id");
        assertThatThrownBy(() -> Sluice.open(twice).lineage().columnsOf("items"))
                .hasMessage("Cannot tell which relation 'items' is: it matches a.items and b.items; qualify it with its "
                        + "schema");
    }

    @Test
    void unknownAndAmbiguousColumnsAreClearErrors() {
        Lineage lineage = Sluice.open(ProjectFixture.example("retail", dir).root()).lineage();
        assertThatThrownBy(() -> lineage.upstream("orders.nope", 0)).isInstanceOf(SluiceException.class)
                .hasMessageContaining("Cannot find column 'orders.nope'");
        assertThatThrownBy(() -> lineage.upstream("order_id", 0))
                .hasMessageContaining("Cannot find column 'order_id'");
        assertThat(lineage.resolve("marts.orders.order_id")).isEqualTo("marts.orders.order_id");
    }

    @Test
    void opaqueModelsAreReportedNotDropped() {
        Path project = ProjectFixture.copyTo("lineage_opaque_models", dir.resolve("p")).root();
        Lineage lineage = Sluice.open(project).lineage();
        assertThat(lineage.underived()).containsExactly("opaque");
        assertThat(lineage.upstream("plain.twice", 0)).containsExactly(
                new Edge("raw.items.id", "main.plain.twice", "DIRECT", "TRANSFORMATION"));
        // the opaque model (GROUP BY ALL, which Calcite cannot parse) still runs
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        assertThat(sluice.query("SELECT count(*) FROM main.opaque").rows()).containsExactly(List.of(5L));
    }

    @Test
    void theCommandPrintsTextJsonDotAndMermaid() {
        String project = ProjectFixture.example("retail", dir).root().toString();
        assertThat(run("lineage", project, "orders.order_amount")).contains("Upstream of marts.orders.order_amount:")
                .contains("marts.orders.order_amount <- main.int_order_totals.order_amount (direct identity)");
        assertThat(run("lineage", project, "raw.returns.order_id", "--downstream", "--format", "json"))
                .contains("\"direction\" : \"downstream\"").contains("\"to\" : \"marts.orders.returned\"");
        assertThat(run("lineage", project, "orders.returned", "--format", "dot")).startsWith("digraph lineage {")
                .contains("\"staging.stg_returns.order_id\" -> \"marts.orders.returned\" [label=\"TRANSFORMATION\"];")
                .contains("style=dashed");
        assertThat(run("lineage", project, "orders.items", "--format", "mermaid")).startsWith("graph LR")
                .contains("-->|IDENTITY|").contains("-.->|JOIN|");
        assertThat(run("lineage", project, "daily_revenue.revenue", "--from", "raw.order_items.quantity"))
                .contains("Path from raw.order_items.quantity to marts.daily_revenue.revenue:")
                .contains("staging.stg_order_items.line_amount <- raw.order_items.quantity (direct transformation)");
        assertThat(run("lineage", project, "daily_revenue.revenue", "--format", "openlineage"))
                .contains("\"eventType\" : \"COMPLETE\"").contains("\"namespace\" : \"duckdb://target/retail.duckdb\"")
                .contains("\"columnLineage\"").contains("\"subtype\" : \"AGGREGATION\"");
    }

    @Test
    void runLineageKeepsTheExactSliceReadEngineParametersAndSize() throws java.io.IOException {
        Path retail = ProjectFixture.example("retail", dir).root();
        Sluice sluice = Sluice.open(retail);
        long first = sluice.run(RunOptions.defaults()).runId();
        Path returns = retail.resolve("data/returns.csv");
        String row = "SELECT inputs, engine_version, parameters, rows, bytes, sql_hash FROM sluice.lineage_runs "
                + "WHERE model = 'marts.returns_log' AND run_id = ";
        List<Object> firstBuild = sluice.query(row + first).rows().get(0);
        String duckDb = (String) sluice.query("SELECT version()").rows().get(0).get(0);
        assertThat(firstBuild.get(0)).isEqualTo("[{\"source\":\"raw.returns\",\"read\":\"whole\",\"file_count\":1,"
                + "\"file_bytes\":" + java.nio.file.Files.size(returns) + ",\"files\":[{\"path\":\"data/returns.csv"
                + "\",\"size\":" + java.nio.file.Files.size(returns) + ",\"modifiedAt\":\""
                + java.time.LocalDateTime.ofInstant(java.nio.file.Files.getLastModifiedTime(returns).toInstant(),
                        java.time.ZoneId.systemDefault()).truncatedTo(java.time.temporal.ChronoUnit.MICROS) + "\"}]}]");
        assertThat(firstBuild.get(1)).isEqualTo("DuckDB " + duckDb);
        assertThat(firstBuild.get(2)).isEqualTo(
                "{\"currency\":\"EUR\",\"min_order_amount\":0,\"report_start\":\"2024-01-01\"}");

        // A second file arrives: the next build reads only it, and says so.
        Path more = ProjectFixture.at(retail).write("data/returns_2.csv", "order_id,returned_on,reason\n7,2024-03-01,Late\n");
        sluice = Sluice.open(ProjectFixture.at(retail).write("sluice.yml", java.nio.file.Files.readString(
                retail.resolve("sluice.yml")).replace("path: data/returns.csv", "path: data/returns*.csv")).getParent());
        long second = sluice.run(RunOptions.defaults().withSelect("returns_log")).runId();
        String slice = (String) sluice.query(row + second).rows().get(0).get(0);
        assertThat(slice).startsWith("[{\"source\":\"raw.returns\",\"read\":\"slice\",\"loaded_after_run\":" + first
                + ",\"loaded_up_to_run\":" + second + ",\"file_count\":1,\"file_bytes\":" + java.nio.file.Files.size(more)
                + ",\"files\":[{\"path\":\"data/returns_2.csv\"");
        assertThat(sluice.query(row + second).rows().get(0).get(3)).isEqualTo(1L);
        // The history of the table replays run by run: both builds keep their own record.
        assertThat(sluice.query("SELECT count(*) FROM sluice.lineage_runs WHERE model = 'marts.returns_log'").rows())
                .containsExactly(List.of(2L));
        // Sizes on disk, where DuckDB knows them at publish (tables still in the write-ahead log have none yet)
        assertThat(sluice.query("SELECT count(*) FROM sluice.lineage_runs l JOIN sluice.model_runs m ON m.run_id = "
                + "l.run_id AND m.relation = l.model WHERE l.run_id = " + first + " AND l.bytes IS DISTINCT FROM m.bytes")
                .rows()).containsExactly(List.of(0L));
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        assertThat(Main.run(new PrintWriter(out), new PrintWriter(out), args)).isZero();
        return out.toString();
    }

    @Test
    void piiTagsFollowDirectEdgesAndRunsKeepTheirLineage() {
        Path retail = ProjectFixture.example("retail", dir).root();
        Sluice sluice = Sluice.open(retail);
        // stg_customers declares customer_name pii: true; customers copies it; nothing aggregates it further
        // raw.customers declares name as pii; stg_customers also declares customer_name, computed from it
        assertThat(sluice.lineage().pii()).containsOnlyKeys("raw.customers.name", "staging.stg_customers.customer_name",
                "marts.customers.customer_name");
        assertThat(sluice.lineage().pii().get("marts.customers.customer_name"))
                .containsExactly("raw.customers.name", "staging.stg_customers.customer_name");
        assertThat(run("lineage", retail.toString(), "--pii")).contains("marts.customers.customer_name")
                .contains("from raw.customers.name, staging.stg_customers.customer_name");

        RunResult result = sluice.run(RunOptions.defaults());
        assertThat(sluice.query("SELECT source_relation, source_column, type, subtype FROM sluice.lineage_columns "
                + "WHERE run_id = " + result.runId() + " AND model = 'marts.daily_revenue' AND column_name = 'revenue' "
                + "ORDER BY type, subtype").rows()).containsExactly(
                        List.of("marts.orders", "order_amount", "DIRECT", "AGGREGATION"),
                        List.of("marts.orders", "order_date", "INDIRECT", "GROUP_BY"),
                        List.of("marts.orders", "order_date", "INDIRECT", "SORT"));
        assertThat(sluice.query("SELECT expression FROM sluice.lineage_columns WHERE run_id = " + result.runId()
                + " AND model = 'marts.daily_revenue' AND column_name = 'revenue' AND type = 'DIRECT'").rows())
                .containsExactly(List.of("sum(order_amount)"));
        assertThat(sluice.query("SELECT status, inputs, verdicts FROM sluice.lineage_runs WHERE run_id = "
                + result.runId() + " AND model = 'marts.orders'").rows()).containsExactly(List.of("success",
                        // int_order_totals is ephemeral: the build reads the staging views behind it
                        "[{\"model\":\"staging.stg_order_items\",\"read\":\"whole\"},"
                                + "{\"model\":\"staging.stg_orders\",\"read\":\"whole\"},"
                                + "{\"model\":\"staging.stg_returns\",\"read\":\"whole\"}]",
                        "{\"range(order_amount)\":\"pass\",\"relationships(customer_id)\":\"pass\","
                                + "\"freshness(order_date)\":\"pass\",\"orders_have_items\":\"pass\"}"));
        // The lineage of that run stays queryable after the models change.
        ProjectFixture.at(retail).write("models/marts/daily_revenue.sql", "/*---\nmaterialized: table\nschema: marts\n---*/\n"
                + "SELECT order_date, count(*) AS orders FROM orders GROUP BY order_date");
        assertThat(Sluice.open(retail).lineageAsOf(result.runId()).upstream("daily_revenue.revenue", 1))
                .contains(new Edge("marts.orders.order_amount", "marts.daily_revenue.revenue", "DIRECT", "AGGREGATION"));
        assertThat(run("lineage", retail.toString(), "customer_lifetime_value.lifetime_value"))
                .contains("Quality of marts.orders in run " + result.runId() + ": freshness(order_date) pass")
                .contains("Quality of staging.stg_orders in run " + result.runId() + ": accepted_values(status) pass");
        // The lineage with every model's and source's latest quality, read in one opening of the warehouse, agrees
        // with the lineage and the quality read apart.
        Sluice reopened = Sluice.open(retail);
        LineageReport report = reopened.lineageWithQuality();
        assertThat(report.lineage().upstream("customer_lifetime_value.lifetime_value", 0))
                .isEqualTo(reopened.lineage().upstream("customer_lifetime_value.lifetime_value", 0));
        List<String> everything = new java.util.ArrayList<>();
        reopened.models().forEach(model -> everything.add(model.name()));
        reopened.project().sources().forEach(source -> everything.add(source.qualifiedName()));
        assertThat(report.latestQuality()).containsKeys("orders", "stg_orders")
                .isEqualTo(reopened.latestQuality(everything));
        assertThat(run("lineage", retail.toString(), "daily_revenue.revenue", "--as-of",
                Long.toString(result.runId()))).contains("marts.daily_revenue.revenue <- marts.orders.order_amount");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sluice.open(retail).lineageAsOf(999))
                .hasMessageContaining("Cannot show the lineage of run 999");
        StringWriter err = new StringWriter();
        assertThat(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "lineage", retail.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("name a COLUMN");
    }

    @Test
    void unionsAndCorrelatedSubqueriesKeepTheirOrigins() {
        Path project = ProjectFixture.copyTo("lineage_unions_and_subqueries", dir.resolve("q")).root();
        Lineage lineage = Sluice.open(project).lineage();
        assertThat(lineage.upstream("u.x", 0)).containsExactlyInAnyOrder(
                new Edge("raw.a.v", "main.u.x", "DIRECT", "IDENTITY"),
                new Edge("raw.b.w", "main.u.x", "DIRECT", "IDENTITY"));
        // Decorrelated, the scalar subquery shows both the value it reads and the column it correlates on.
        assertThat(lineage.upstream("c.mw", 0)).contains(
                new Edge("raw.b.w", "main.c.mw", "DIRECT", "AGGREGATION"),
                new Edge("raw.a.id", "main.c.mw", "INDIRECT", "JOIN"));
        // v decides between two literals: it chooses the value, none of it flows into it
        assertThat(lineage.upstream("c.band", 0)).contains(
                new Edge("raw.a.v", "main.c.band", "INDIRECT", "CONDITIONAL")).noneMatch(edge -> edge.type().equals("DIRECT"));
        // the CASE condition decides band, not mw
        assertThat(lineage.upstream("c.mw", 0)).noneMatch(edge -> edge.subtype().equals("CONDITIONAL"));
        assertThat(lineage.upstream("h.hashed", 0)).containsExactly(
                new Edge("raw.a.id", "main.h.hashed", "DIRECT", "TRANSFORMATION", true));
        assertThat(lineage.upstream("h.plain", 0)).containsExactly(
                new Edge("raw.a.v", "main.h.plain", "DIRECT", "IDENTITY", false));
    }
}
