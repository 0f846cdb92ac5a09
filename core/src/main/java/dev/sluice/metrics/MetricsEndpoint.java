package dev.sluice.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} in the Prometheus text format over HTTP (the JDK's server, one thread: a scrape is
 * small and Prometheus scrapes one at a time). Bind it to loopback ({@code new InetSocketAddress(
 * InetAddress.getLoopbackAddress(), port)}) unless the metrics may be read from other hosts: they hold model and
 * source names. Port 0 picks a free port, which {@link #address} tells.
 */
public final class MetricsEndpoint implements AutoCloseable {
    /** The content type of the text format Prometheus scrapes. */
    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving {@code metrics} at {@code http://address/metrics}. */
    public static MetricsEndpoint start(RunMetrics metrics, InetSocketAddress address) {
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.USAGE, e, "Cannot serve metrics at %s: %s; choose a free port",
                    address, e.getMessage());
        }
        server.createContext("/metrics", exchange -> answer(exchange, metrics));
        ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "sluice-metrics-endpoint");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        return new MetricsEndpoint(server, executor);
    }

    private static void answer(HttpExchange exchange, RunMetrics metrics) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            if (!head && !exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", TEXT_FORMAT);
            exchange.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** The address served, with the port chosen when 0 was asked. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops serving at once: a scrape under way is cut. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
