package dev.sluice.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.RunListener;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.ProjectFixture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run sends an OpenLineage event when each model build starts and when it completes or fails. */
class OpenLineageIT {
    private static final List<String> BUILT = List.of("marts.customer_lifetime_value", "marts.customers",
            "marts.daily_revenue", "marts.orders", "marts.product_sales", "marts.returns_log", "staging.stg_customers",
            "staging.stg_order_items", "staging.stg_orders", "staging.stg_products", "staging.stg_returns");

    @TempDir
    Path dir;

    @Test
    void eachModelBuildSendsStartThenCompleteWithItsLineageQualityAndSlice() throws IOException {
        Path retail = ProjectFixture.example("retail", dir).root();
        Path events = dir.resolve("lineage/events.jsonl");
        Files.createDirectories(events.getParent());
        List<String> notices = Collections.synchronizedList(new ArrayList<>());
        Sluice sluice = Sluice.open(retail);
        RunResult result = sluice.run(RunOptions.defaults().withOpenLineage(events.toString()), new RunListener() {
            @Override
            public void notice(String message) {
                notices.add(message);
            }
        });
        assertThat(result.succeeded()).isTrue();
        assertThat(notices).containsExactly("OpenLineage: 22 events sent to " + events);

        List<JsonNode> sent = OpenLineageTest.events(events);
        OpenLineageSpec spec = OpenLineageSpec.load();
        assertThat(sent).hasSize(22).allSatisfy(event -> assertThat(spec.problems(event)).isEmpty());
        Map<String, JsonNode> started = OpenLineageTest.byJob(sent, "START");
        Map<String, JsonNode> completed = OpenLineageTest.byJob(sent, "COMPLETE");
        assertThat(started.keySet()).containsExactlyElementsOf(BUILT);
        assertThat(completed.keySet()).containsExactlyElementsOf(BUILT);
        for (String model : BUILT) {
            assertThat(completed.get(model).path("run").path("runId").asText()).as(model)
                    .isEqualTo(started.get(model).path("run").path("runId").asText());
        }

        JsonNode orders = completed.get("marts.orders");
        assertThat(orders.path("job").path("namespace").asText()).isEqualTo("retail");
        // int_order_totals is ephemeral: the order build reads the staging views behind it
        assertThat(orders.path("inputs")).extracting(input -> input.path("name").asText())
                .containsExactly("staging.stg_order_items", "staging.stg_orders", "staging.stg_returns");
        JsonNode output = orders.path("outputs").path(0);
        long rows = (Long) sluice.query("SELECT count(*) FROM marts.orders").rows().get(0).get(0);
        assertThat(output.path("outputFacets").path("outputStatistics").path("rowCount").asLong()).isEqualTo(rows);
        assertThat(output.path("facets").path("dataQualityMetrics").path("rowCount").asLong()).isEqualTo(rows);
        assertThat(output.path("facets").path("schema").path("fields").findValuesAsText("name")).containsExactly(
                "order_id", "customer_id", "order_date", "order_amount", "items", "returned", "currency");
        assertThat(output.path("facets").path("dataSource").path("uri").asText())
                .endsWith("/target/retail.duckdb").startsWith("file:/");
        JsonNode returned = output.path("facets").path("columnLineage").path("fields").path("returned")
                .path("inputFields").path(0);
        assertThat(returned.path("name").asText()).isEqualTo("staging.stg_returns");
        assertThat(returned.path("transformations").path(0).path("description").asText())
                .isEqualTo("r.order_id IS NOT NULL");
        // The staging view of orders passed its accepted_values rule in this run: the order build says so
        JsonNode stagingOrders = orders.path("inputs").path(1);
        assertThat(stagingOrders.path("inputFacets").path("dataQualityAssertions").path("assertions"))
                .anySatisfy(assertion -> {
                    assertThat(assertion.path("name").asText()).isEqualTo("accepted_values(status)");
                    assertThat(assertion.path("column").asText()).isEqualTo("status");
                    assertThat(assertion.path("success").asBoolean()).isTrue();
                });
        assertThat(orders.path("job").path("facets").path("sql").path("query").asText())
                .contains("LEFT JOIN \"staging\".\"stg_returns\"");
        String duckDb = (String) sluice.query("SELECT version()").rows().get(0).get(0);
        assertThat(orders.path("run").path("facets").path("processing_engine").path("version").asText())
                .isEqualTo("DuckDB " + duckDb);
        assertThat(orders.path("run").path("facets").path("executionParameters").path("parameters")
                .findValuesAsText("value")).contains("EUR", "2024-01-01");

        JsonNode returnsLog = completed.get("marts.returns_log").path("inputs").path(0);
        assertThat(returnsLog.path("name").asText()).isEqualTo("raw.returns");
        assertThat(returnsLog.path("facets").path("dataSource").path("uri").asText()).endsWith("/data/returns.csv");
        assertThat(returnsLog.path("inputFacets").path("dataQualityAssertions").path("assertions")
                .findValuesAsText("name")).contains("not_null(order_id)");
    }

    @Test
    void aModelThatFailsSendsFailWithTheReason() throws IOException {
        Path project = ProjectFixture.copyTo("openlineage_failing_model", dir.resolve("p")).root();
        Path events = dir.resolve("events.jsonl");
        RunResult result = Sluice.open(project).run(RunOptions.defaults().withOpenLineage(events.toString()));
        assertThat(result.succeeded()).isFalse();

        List<JsonNode> sent = OpenLineageTest.events(events).stream()
                .filter(event -> event.path("job").path("name").asText().equals("main.small_ids")).toList();
        assertThat(sent).extracting(event -> event.path("eventType").asText()).containsExactly("START", "FAIL");
        JsonNode failed = sent.get(1);
        assertThat(OpenLineageSpec.load().problems(failed)).isEmpty();
        assertThat(failed.path("run").path("facets").path("errorMessage").path("message").asText())
                .contains("Cannot publish model small_ids").contains("range(id)");
        assertThat(failed.path("outputs").path(0).path("outputFacets").has("outputStatistics")).isFalse();
        // a parquet model's output is its lake folder, not the warehouse file
        JsonNode lake = OpenLineageTest.byJob(OpenLineageTest.events(events), "COMPLETE").get("main.lake_ids");
        assertThat(lake.path("outputs").path(0).path("facets").path("dataSource").path("uri").asText())
                .isEqualTo(project.resolve("target/lake/main/lake_ids").toUri().toString());
        assertThat(OpenLineageSpec.load().problems(lake)).isEmpty();
    }

    @Test
    void eventsGoToAnHttpEndpointAndAnEndpointThatIsDownDoesNotFailTheRun() throws IOException {
        Path retail = ProjectFixture.example("retail", dir).root();
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        List<String> paths = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            RunResult result = Sluice.open(retail).run(RunOptions.defaults().withOpenLineage(url));
            assertThat(result.succeeded()).isTrue();
        } finally {
            server.stop(0);
        }
        // a START and a COMPLETE for each of the 11 models built
        assertThat(paths).hasSize(22).containsOnly("POST /api/v1/lineage");
        OpenLineageSpec spec = OpenLineageSpec.load();
        for (String body : bodies) {
            assertThat(spec.problems(new com.fasterxml.jackson.databind.ObjectMapper().readTree(body))).isEmpty();
        }

        List<String> notices = Collections.synchronizedList(new ArrayList<>());
        RunResult down = Sluice.open(retail).run(RunOptions.defaults().withSelect("stg_orders")
                .withOpenLineage("http://127.0.0.1:1/lineage"), new RunListener() {
                    @Override
                    public void notice(String message) {
                        notices.add(message);
                    }
                });
        assertThat(down.succeeded()).isTrue();
        assertThat(notices).singleElement().asString()
                .startsWith("OpenLineage: 2 of 2 events could not be sent to http://127.0.0.1:1/lineage (")
                .endsWith("the run's lineage is in sluice.lineage_runs");
        // The backend's failure is said once, not once per event.
        assertThat(notices.get(0).split("Connection refused", -1)).hasSize(2);
        assertThat(Files.exists(retail.resolve("target/retail.duckdb"))).isTrue();
    }

    @Test
    void aFileTargetThatCannotBeWrittenIsAClearErrorBeforeAnythingRuns() {
        Path retail = ProjectFixture.example("retail", dir).root();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sluice.open(retail).run(RunOptions.defaults()
                .withOpenLineage("/proc/sluice-nope/events.jsonl")))
                .isInstanceOf(dev.sluice.SluiceException.class)
                .hasMessage("Cannot write OpenLineage events to /proc/sluice-nope/events.jsonl: its folder "
                        + "/proc/sluice-nope does not exist; create it, or pass a file in an existing folder or an "
                        + "http(s):// URL");
    }

    @Test
    void aRelativeFileIsInTheProjectAndAFolderOutsideItIsNeverCreated() throws IOException {
        Path retail = ProjectFixture.example("retail", dir).root();
        Path missing = dir.resolve("nonexistent/dir/events.jsonl");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sluice.open(retail).run(RunOptions.defaults()
                .withSelect("stg_orders").withOpenLineage(missing.toString())))
                .isInstanceOf(dev.sluice.SluiceException.class)
                .hasMessage("Cannot write OpenLineage events to %s: its folder %s does not exist; create it, or pass "
                        + "a file in an existing folder or an http(s):// URL", missing, missing.getParent());
        assertThat(dir.resolve("nonexistent")).doesNotExist();

        // Relative to the project, wherever the command runs; folders inside the project are made as target/ is.
        RunResult result = Sluice.open(retail).run(RunOptions.defaults().withSelect("stg_orders")
                .withOpenLineage("target/lineage/openlineage.jsonl"));
        assertThat(result.succeeded()).isTrue();
        assertThat(Files.readAllLines(retail.resolve("target/lineage/openlineage.jsonl"))).hasSize(2);
        assertThat(Path.of("target/lineage/openlineage.jsonl")).doesNotExist();
    }
}
