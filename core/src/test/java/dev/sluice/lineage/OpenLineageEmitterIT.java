package dev.sluice.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.RunListener;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.ProjectFixture;
import io.openlineage.client.OpenLineage.RunEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events are sent in the background, in the order emitted: a backend that accepts a connection and never answers
 * costs a run at most the drain deadline, not a timeout per event.
 */
class OpenLineageEmitterIT {
    private static final io.openlineage.client.OpenLineage OPEN_LINEAGE =
            new io.openlineage.client.OpenLineage(URI.create("https://sluice.dev"));

    @TempDir
    Path dir;

    private static RunEvent event(String job) {
        return OPEN_LINEAGE.newRunEventBuilder().eventType(RunEvent.EventType.START).eventTime(ZonedDateTime.now())
                .run(OPEN_LINEAGE.newRunBuilder().runId(UUID.randomUUID()).build())
                .job(OPEN_LINEAGE.newJobBuilder().namespace("test").name(job).build()).build();
    }

    /** A loopback endpoint that accepts each request and holds it unanswered until released, for at most 20 s. */
    private static final class SilentEndpoint implements AutoCloseable {
        final HttpServer server;
        final CountDownLatch release = new CountDownLatch(1);

        SilentEndpoint() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/lineage";
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
        }
    }

    @Test
    void eventsArriveAtAnEndpointAndInAFileInTheOrderEmitted() throws IOException {
        List<String> jobs = IntStream.range(0, 200).mapToObj(i -> String.format("job%03d", i)).toList();
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(new ObjectMapper().readTree(exchange.getRequestBody()).path("job").path("name").asText());
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        server.start();
        try (OpenLineageEmitter emitter = OpenLineageEmitter.to("http://127.0.0.1:" + server.getAddress().getPort(), dir)) {
            jobs.forEach(job -> emitter.emit(event(job)));
            emitter.close();
            assertThat(emitter.sent()).isEqualTo(200);
            assertThat(emitter.failed()).isZero();
        } finally {
            server.stop(0);
        }
        assertThat(received).containsExactlyElementsOf(jobs);

        Path file = dir.resolve("events.jsonl");
        try (OpenLineageEmitter emitter = OpenLineageEmitter.to(file.toString(), dir)) {
            jobs.forEach(job -> emitter.emit(event(job)));
        }
        assertThat(OpenLineageTest.events(file)).extracting(event -> event.path("job").path("name").asText())
                .containsExactlyElementsOf(jobs);
    }

    @Test
    void aSlowEndpointThatKeepsAnsweringGetsEveryEventEvenPastOneDeadline() throws IOException {
        List<String> jobs = IntStream.range(0, 60).mapToObj(i -> "slow" + i).toList();
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(new ObjectMapper().readTree(exchange.getRequestBody()).path("job").path("name").asText());
            try {
                Thread.sleep(25); // a backend slower than the run: 60 events take 1.5 s, more than one deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        server.start();
        try (OpenLineageEmitter emitter = OpenLineageEmitter.to("http://127.0.0.1:" + server.getAddress().getPort(), dir)) {
            jobs.forEach(job -> emitter.emit(event(job)));
            emitter.close();
            assertThat(emitter.failed()).as(emitter.reasons().toString()).isZero();
            assertThat(emitter.sent()).isEqualTo(60);
        } finally {
            server.stop(0);
        }
        assertThat(received).containsExactlyElementsOf(jobs);
    }

    @Test
    void aSilentEndpointNeverHoldsUpEmitAndCloseWaitsOnlyTheDeadline() throws IOException {
        try (SilentEndpoint endpoint = new SilentEndpoint()) {
            OpenLineageEmitter emitter = OpenLineageEmitter.to(endpoint.url(), dir);
            long start = System.nanoTime();
            for (int i = 0; i < 6; i++) {
                emitter.emit(event("job" + i));
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(500);
            emitter.close();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .isLessThan(OpenLineageEmitter.DRAIN_DEADLINE.toMillis() + 1000);
            assertThat(emitter.sent()).isZero();
            assertThat(emitter.failed()).isEqualTo(6);
            assertThat(emitter.reasons()).first().isEqualTo("6 events still unsent 3 s after the run: the backend did "
                    + "not answer in time");
            // closed: an event emitted now is counted, not queued
            emitter.emit(event("late"));
            emitter.close();
            assertThat(emitter.failed()).isEqualTo(7);
            assertThat(emitter.reasons()).contains("an event was emitted after the run's events were closed");

            // a queue that stays full drops what comes after it, counted: nothing waits for room
            OpenLineageEmitter full = OpenLineageEmitter.to(endpoint.url(), dir);
            start = System.nanoTime();
            for (int i = 0; i < 1100; i++) {
                full.emit(event("job" + i));
            }
            full.close();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .isLessThan(OpenLineageEmitter.DRAIN_DEADLINE.toMillis() + 1000);
            assertThat(full.sent()).isZero();
            assertThat(full.failed()).isEqualTo(1100);
            assertThat(full.reasons()).contains("more than 1024 events waited for the backend; the later ones were "
                    + "dropped");
        }
    }

    @Test
    void aRunOfThreeModelsAgainstASilentEndpointTakesAtMostTheDrainDeadlineMore() throws IOException {
        Path project = ProjectFixture.copyTo("openlineage_three_models", dir.resolve("p")).root();
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        long start = System.nanoTime();
        assertThat(sluice.run(RunOptions.defaults().withFullRefresh()).succeeded()).isTrue();
        long withoutLineage = System.nanoTime() - start;

        List<String> notices = Collections.synchronizedList(new ArrayList<>());
        try (SilentEndpoint endpoint = new SilentEndpoint()) {
            start = System.nanoTime();
            RunResult result = sluice.run(RunOptions.defaults().withFullRefresh().withOpenLineage(endpoint.url()),
                    new RunListener() {
                        @Override
                        public void notice(String message) {
                            notices.add(message);
                        }
                    });
            long withLineage = System.nanoTime() - start;
            assertThat(result.succeeded()).isTrue();
            // before: a 5 s timeout per event, one after the other (33 s for three models); now one deadline, with
            // room for a loaded machine's slower run
            assertThat(TimeUnit.NANOSECONDS.toMillis(withLineage - withoutLineage))
                    .isLessThan(OpenLineageEmitter.DRAIN_DEADLINE.toMillis() + 5000);
            assertThat(notices).singleElement().asString()
                    .startsWith("OpenLineage: 6 of 6 events could not be sent to " + endpoint.url() + " (")
                    .contains("the backend did not answer in time")
                    .endsWith("the run's lineage is in sluice.lineage_runs");
        }
    }
}
