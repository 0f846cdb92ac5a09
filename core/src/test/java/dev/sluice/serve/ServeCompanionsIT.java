package dev.sluice.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ProjectFixture;
import dev.sluice.Run;
import dev.sluice.ScheduleRun;
import dev.sluice.Sluice;
import dev.sluice.metrics.PrometheusText;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice serve} with its companions: a schedule falls due on the server's (test) clock and runs inside the
 * server, a client asks for a run through the run action, and a scrape of the server's {@code /metrics} holds both
 * runs, including what only the catalog knows (read through the server's own engine). One server for the class.
 */
class ServeCompanionsIT {
    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");
    private static final Instant MINUTE_1 = Instant.parse("2026-01-05T10:01:00Z");

    @TempDir
    static Path dir;
    static ProjectFixture project;
    static MovableClock clock;
    static SluiceServer server;

    @BeforeAll
    static void startServer() {
        project = ProjectFixture.copyTo("scheduled_orders", dir.resolve("scheduled"));
        // Only every_minute falls due in the test: nightly moves to once a year.
        project.replace("sluice.yml", "  nightly:\n    cron: \"0 2 * * *\"", "  nightly:\n    cron: \"0 2 1 1 *\"");
        // Change detection gives the runs rows in the catalog that only it knows: the metrics read them after a run.
        project.replace("sluice.yml", "    header: true\n", "    header: true\n    change_detection: manifest\n");
        clock = new MovableClock(START);
        server = SluiceServer.start(project.root(), ServeOptions.loopback(), dev.sluice.cli.Main::run, notice -> {
        }, clock);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aDueScheduleAndARequestedRunRunInsideTheServerAndReachItsMetrics() throws Exception {
        JsonNode requested = runAction();
        assertThat(requested.path("succeeded").asBoolean()).as(requested.toString()).isTrue();

        // A new file arrives before the schedule falls due: its run reads only that one.
        project.write("data/more.csv", "order_id,customer,amount\n5,dee,30\n");
        clock.set(MINUTE_1);
        server.schedules().wakeUp();
        Sluice sluice = project.open();
        // The row is written as the run starts (status running), and tells its end once the run is over.
        awaitTrue(() -> sluice.scheduleRuns("every_minute", 5).stream().anyMatch(run -> !"running".equals(
                run.runStatus())));

        Run scheduled = sluice.runs(1).get(0);
        assertThat(scheduled.schedule()).isEqualTo("every_minute");
        assertThat(scheduled.args()).isEqualTo("--select +revenue --var min_amount=10");
        assertThat(sluice.scheduleRuns("every_minute", 5)).containsExactly(new ScheduleRun("every_minute", MINUTE_1,
                ScheduleRun.Status.STARTED, scheduled.runId(), "success", null));
        assertThat(scheduled.runId()).isGreaterThan(requested.path("run_id").asLong());

        // The schedule's run counts once it has ended: its row in the catalog is written when it starts.
        awaitTrue(() -> scrape().value("sluice_runs_total", "status", "success").orElse(0.0) == 2.0);
        PrometheusText text = scrape();
        assertThat(text.value("sluice_run_duration_seconds_count", "status", "success")).hasValue(2.0);
        assertThat(text.value("sluice_model_duration_seconds_count", "model", "revenue", "status", "success"))
                .hasValue(2.0);
        // 3 customers with orders of at least 5 (the requested run), then 3 of at least 10 (the schedule's vars)
        assertThat(text.value("sluice_model_rows_total", "model", "revenue")).hasValue(6.0);
        // Read from the catalog after each run, through the server's engine: 4 orders, then the new file's one.
        assertThat(text.value("sluice_source_detected_changes_total", "source", "raw.orders", "kind", "new"))
                .hasValue(5.0);
        assertThat(text.value("sluice_duckdb_memory_bytes")).hasValueSatisfying(
                bytes -> assertThat(bytes).isPositive());
        assertThat(text.named("jvm_memory_used_bytes")).isNotEmpty();

        // sluice run forwarded by the CLI to the server (the cli action) is counted as the server's own runs are.
        JsonNode forwarded = action(ServerActions.CLI, "{\"args\": [\"run\", \"" + project.root().toString()
                .replace("\\", "\\\\") + "\", \"--select\", \"+revenue\"]}");
        assertThat(forwarded.path("exit_code").asInt()).as(forwarded.toString()).isZero();
        awaitTrue(() -> scrape().value("sluice_runs_total", "status", "success").orElse(0.0) == 3.0);
        assertThat(scrape().value("sluice_run_duration_seconds_count", "status", "success")).hasValue(3.0);
    }

    @Test
    void theMetricsEndpointListensOnLoopbackOnly() {
        InetSocketAddress address = server.metricsAddress().orElseThrow();

        assertThat(address.getAddress().isLoopbackAddress()).isTrue();
        assertThat(address.getPort()).isPositive();
    }

    private static JsonNode runAction() throws Exception {
        return action(ServerActions.RUN, "{\"select\": [\"+revenue\"]}");
    }

    private static JsonNode action(String type, String body) throws Exception {
        try (BufferAllocator allocator = new RootAllocator(); FlightClient client = FlightClient.builder(allocator,
                Location.forGrpcInsecure(server.address().host(), server.address().port())).build()) {
            Iterator<Result> results = client.doAction(new Action(type, body.getBytes(StandardCharsets.UTF_8)));
            JsonNode answer = new ObjectMapper().readTree(results.next().getBody());
            results.forEachRemaining(result -> {
            });
            return answer;
        }
    }

    private static PrometheusText scrape() {
        InetSocketAddress address = server.metricsAddress().orElseThrow();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + address.getPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return PrometheusText.parse(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for a condition another thread makes true; fails after a minute. */
    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("the condition within a minute").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("MovableClock.withZone: the server reads instants only");
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
