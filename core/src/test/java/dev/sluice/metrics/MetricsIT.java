package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.ProjectFixture;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.engine.Session;
import dev.sluice.engine.duckdb.DuckDbEngine;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real pipeline run fed to the metrics, scraped over HTTP from the endpoint as Prometheus scrapes it, and the text
 * parsed: names follow Prometheus' conventions and the values are the run's.
 */
class MetricsIT {
    /** One hour after the newest watermark the load sees (13:00). */
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-01-01T14:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path dir;

    private static RunMetrics metrics;
    private static MetricsEndpoint endpoint;
    private static RunResult first;
    private static RunResult second;

    @BeforeAll
    static void runAndServe() {
        ProjectFixture project = ProjectFixture.copy("table_customers", dir);
        project.replace("sluice.yml", "    key: [id]\n", "    key: [id]\n    watermark: updated_at\n");
        project.write("models/customers_full.sql", """
                /*---
                materialized: table
                quality:
                  - range: { column: id, max: 2 }
                    severity: warn
                  - name: named_bob
                    expression: name <> 'BOB'
                    severity: quarantine
                ---*/
                SELECT id, upper(name) AS name, updated_at FROM crm.customers
                """);
        try (DuckDbEngine engine = DuckDbEngine.open(project.root().resolve("data/crm.duckdb"), 0, null);
                Session session = engine.session()) {
            session.execute("CREATE TABLE customers (id BIGINT, name VARCHAR, updated_at TIMESTAMP)");
            session.execute("INSERT INTO customers VALUES (1, 'ann', TIMESTAMP '2026-01-01 10:00'), "
                    + "(2, 'bob', TIMESTAMP '2026-01-01 11:00'), (3, 'cid', TIMESTAMP '2026-01-01 12:00')");
        }
        Sluice sluice = Sluice.open(project.root());
        metrics = new RunMetrics();
        first = run(sluice);
        try (DuckDbEngine engine = DuckDbEngine.open(project.root().resolve("data/crm.duckdb"), 0, null);
                Session session = engine.session()) {
            session.execute("INSERT INTO customers VALUES (4, 'dan', TIMESTAMP '2026-01-01 13:00')");
        }
        second = run(sluice);
        endpoint = MetricsEndpoint.start(metrics, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private static RunResult run(Sluice sluice) {
        RunResult result = sluice.run(RunOptions.defaults(), metrics);
        metrics.runFinished(result);
        metrics.catalogRecorded(RunRecord.read(sluice, result.runId(), NOW));
        return result;
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        metrics.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + endpoint.address().getPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aScrapeHoldsTheRunsModelsAndSourcesInPrometheusText() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        PrometheusText text = PrometheusText.parse(response.body());

        assertThat(first.succeeded()).isTrue();
        assertThat(text.value("sluice_runs_total", "status", "success")).hasValue(2.0);
        assertThat(text.types()).containsEntry("sluice_runs_total", "counter")
                .containsEntry("sluice_model_duration_seconds", "summary");
        assertThat(text.value("sluice_run_duration_seconds_count", "status", "success")).hasValue(2.0);
        assertThat(text.value("sluice_model_duration_seconds_count", "model", "customers_full", "status", "success"))
                .hasValue(2.0);
        // 3 rows then 4, less bob set aside by the quarantine rule each time
        assertThat(text.value("sluice_model_rows_total", "model", "customers_full")).hasValue(5.0);
        assertThat(text.value("sluice_quality_failures_total", "model", "customers_full", "rule", "range(id)",
                "severity", "warn")).hasValue(2.0);
        assertThat(text.value("sluice_quarantined_rows_total", "model", "customers_full", "reason", "quality"))
                .hasValue(2.0);
        assertThat(text.value("sluice_source_rows_total", "source", "crm.customers")).hasValue(4.0);
        assertThat(text.value("sluice_source_detected_changes_total", "source", "crm.customers", "kind", "new"))
                .hasValue(4.0);
        assertThat(text.value("sluice_source_read_lag_seconds", "source", "crm.customers")).hasValue(3600.0);
        assertThat(text.value("sluice_model_bytes", "model", "customers_inc")).hasValueSatisfying(
                bytes -> assertThat(bytes).isPositive());
        assertThat(text.value("sluice_duckdb_memory_bytes")).hasValueSatisfying(
                bytes -> assertThat(bytes).isPositive());
        assertThat(text.named("jvm_memory_used_bytes")).isNotEmpty();
        assertThat(text.named("jvm_threads_live_threads")).isNotEmpty();
        // Prometheus' conventions: every sluice counter ends in _total, every name is snake case with its unit
        text.types().forEach((name, type) -> {
            assertThat(name).matches("[a-z][a-z0-9_]*");
            if (type.equals("counter")) {
                assertThat(name).endsWith("_total");
            }
        });
        assertThat(text.samples()).allSatisfy(sample -> assertThat(sample.labels()).doesNotContainKeys("run_id",
                "runId"));
    }

    @Test
    void onlyGetOfMetricsIsServed() throws Exception {
        assertThat(get("/other").statusCode()).isEqualTo(404);
        HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + endpoint.address().getPort() + "/metrics")).POST(
                        HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(endpoint.address().getAddress().isLoopbackAddress()).isTrue();
        HttpResponse<String> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + endpoint.address().getPort() + "/metrics")).method("HEAD",
                        HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aPortInUseIsRefusedWithTheAddress() {
        InetSocketAddress taken = endpoint.address();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> MetricsEndpoint.start(metrics, taken)))
                .isInstanceOf(dev.sluice.SluiceException.class)
                .hasMessageStartingWith("Cannot serve metrics at " + taken + ": ")
                .hasMessageEndingWith("; choose a free port");
    }
}
