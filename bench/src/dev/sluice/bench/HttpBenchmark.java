package dev.sluice.bench;

import static dev.sluice.bench.DetectionBenchmark.deleteTree;
import static dev.sluice.bench.DetectionBenchmark.require;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A JSON API into the warehouse: a {@code type: http} source read whole (offset pagination, nested field, extras
 * kept) against a plain client loop in the same JVM (the JDK's HttpClient asking for the same pages and Jackson
 * reading every record's fields), both from the same loopback server answering pre-built pages. Prints records/s of
 * each, medians of several rounds, and the ratio.
 *
 * <p>Run with {@code bench/run http [--records 200000] [--page 1000] [--rounds 3] [--warmup 1]
 * [--extra-fields keep|ignore]}.
 */
public final class HttpBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = DetectionBenchmark.options(args);
        int records = Integer.parseInt(options.getOrDefault("records", "200000"));
        int size = Integer.parseInt(options.getOrDefault("page", "1000"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "1"));
        System.setProperty("sun.net.httpserver.nodelay", "true");
        List<byte[]> pages = pages(records, size);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/customers", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            int offset = Integer.parseInt(query.replaceAll(".*offset=(\\d+).*", "$1"));
            byte[] body = offset / size < pages.size() ? pages.get(offset / size) : "[]".getBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/customers";
        Path dir = Files.createTempDirectory(Path.of("target/bench-tmp"), "http");
        Path project = dir.resolve("api");
        Files.createDirectories(project.resolve("models"));
        Files.writeString(project.resolve("sluice.yml"), """
                name: api
                warehouse: target/api_warehouse.duckdb
                sources:
                  api.customers:
                    type: http
                    url: %s
                    columns:
                      id: BIGINT
                      name: VARCHAR
                      city: { type: VARCHAR, path: address.city }
                      updated_at: TIMESTAMP
                    pagination: { type: offset, limit: %d }
                    extra_fields: %s
                """.formatted(url, size, options.getOrDefault("extra-fields", "keep")));
        Files.writeString(project.resolve("models/counted.sql"), "SELECT count(*) AS n FROM api.customers");
        Timings sluice = new Timings("sluice");
        Timings plain = new Timings("plain");
        try {
            Timings.rounds(warmup, rounds, (label, measured) -> {
                long start = System.nanoTime();
                long read = plainLoop(url, size);
                long plainNanos = System.nanoTime() - start;
                require(read == records, "the plain loop read " + read + " records, not " + records);
                deleteTree(project.resolve("target"));
                start = System.nanoTime();
                RunResult run = Sluice.open(project).run(RunOptions.defaults());
                long sluiceNanos = System.nanoTime() - start;
                require(run.succeeded() && run.sources().get(0).rows() == records, "the run failed or lost records: "
                        + run.sources());
                if (measured) {
                    plain.add(plainNanos);
                    sluice.add(sluiceNanos);
                }
                System.out.printf(Locale.ROOT, "%s: plain %.3f s, sluice %.3f s%n", label, plainNanos / 1e9,
                        sluiceNanos / 1e9);
            });
        } finally {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
            deleteTree(dir);
        }
        double plainRate = records / plain.median();
        double sluiceRate = records / sluice.median();
        System.out.printf(Locale.ROOT, "%d records in pages of %d: plain client loop %.0f records/s (median %.3f s), "
                + "sluice %.0f records/s (median %.3f s, whole run: plan, load, commit, one model); ratio %.2f%n",
                records, size, plainRate, plain.median(), sluiceRate, sluice.median(), sluiceRate / plainRate);
    }

    /** The plain baseline: every page asked for in turn, every record's four fields read. */
    private static long plainLoop(String url, int size) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long read = 0;
        for (int offset = 0; ; offset += size) {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(url + "?offset=" + offset
                    + "&limit=" + size)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode page = JSON.readTree(response.body());
            for (JsonNode record : page) {
                String row = record.path("id").asText() + record.path("name").asText()
                        + record.at("/address/city").asText() + record.path("updated_at").asText();
                read += row.isEmpty() ? 0 : 1;
            }
            if (page.size() < size) {
                return read;
            }
        }
    }

    private static List<byte[]> pages(int records, int size) throws Exception {
        List<byte[]> pages = new ArrayList<>();
        for (int from = 0; from < records; from += size) {
            StringBuilder page = new StringBuilder("[");
            for (int id = from + 1; id <= Math.min(records, from + size); id++) {
                page.append(id == from + 1 ? "" : ",").append(String.format(Locale.ROOT, "{\"id\":%d,\"name\":"
                        + "\"customer %d\",\"address\":{\"city\":\"city %d\",\"zip\":\"%05d\"},\"updated_at\":"
                        + "\"2026-01-%02dT%02d:00:00\",\"tier\":\"gold\"}", id, id, id % 97, id % 100000,
                        1 + id % 28, id % 24));
            }
            pages.add(page.append(']').toString().getBytes(StandardCharsets.UTF_8));
        }
        return pages;
    }
}
