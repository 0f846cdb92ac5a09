package dev.sluice.connect.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A real HTTP server on loopback (the JDK's {@code com.sun.net.httpserver}) that tests give routes and faults: the
 * counterpart an http source reads in the tests. It records every request it receives (with its arrival time) and
 * answers a route's scripted faults before its normal answer. One per test class.
 */
final class ApiServer implements AutoCloseable {
    /** A request received. */
    record Hit(String path, Map<String, String> query, Map<String, String> headers, long nanos) {
        String param(String name) {
            return query.get(name);
        }
    }

    /** An answer. {@code hang}: the server keeps the request without answering until {@link #reset}. */
    record Reply(int status, String body, Map<String, String> headers, boolean hang) {
        static Reply json(String body) {
            return new Reply(200, body, Map.of(), false);
        }

        static Reply status(int status, String body, Map<String, String> headers) {
            return new Reply(status, body, headers, false);
        }

        static Reply hanging() {
            return new Reply(0, "", Map.of(), true);
        }
    }

    private record Fault(String path, Predicate<Hit> when, Reply reply, int[] left) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Function<Hit, Reply>> routes = new ConcurrentHashMap<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<Hit> hits = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch hung = new CountDownLatch(1);
    /** When set, every request must carry this header with this value, or gets 401. */
    private volatile Map.Entry<String, String> required;

    static {
        // Headers and body go out in separate writes: without TCP_NODELAY each answer waits for the client's delayed
        // ACK (about 40 ms on Linux), which would make the server, not the client, the bottleneck.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    ApiServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Several threads: a hanging request must not hold up the retry behind it.
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:port}. */
    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void route(String path, Function<Hit, Reply> answer) {
        routes.put(path, answer);
    }

    /** The next {@code times} requests of {@code path} that {@code when} accepts get {@code reply}. */
    void fault(String path, Predicate<Hit> when, int times, Reply reply) {
        faults.add(new Fault(path, when, reply, new int[] {times}));
    }

    void requireHeader(String name, String value) {
        required = name == null ? null : Map.entry(name, value);
    }

    /** The requests received since the last reset. */
    List<Hit> hits() {
        return List.copyOf(hits);
    }

    List<Hit> hits(String path) {
        return hits.stream().filter(h -> h.path().equals(path)).toList();
    }

    /** Forgets requests and faults, answers hanging requests' threads (their clients gone), drops the auth rule. */
    void reset() {
        hits.clear();
        faults.clear();
        required = null;
        hung.countDown();
        hung = new CountDownLatch(1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
        Hit hit = new Hit(exchange.getRequestURI().getPath(), query, headers, System.nanoTime());
        hits.add(hit);
        Reply reply = null;
        for (Fault fault : faults) {
            synchronized (fault) {
                if (fault.path().equals(hit.path()) && fault.left()[0] > 0 && fault.when().test(hit)) {
                    fault.left()[0]--;
                    reply = fault.reply();
                    break;
                }
            }
        }
        Map.Entry<String, String> auth = required;
        if (reply == null && auth != null && !auth.getValue().equals(headers.get(auth.getKey().toLowerCase()))) {
            reply = Reply.status(401, "{\"error\":\"invalid credentials\"}", Map.of());
        }
        if (reply == null) {
            Function<Hit, Reply> route = routes.get(hit.path());
            reply = route == null ? Reply.status(404, "{\"error\":\"no such path\"}", Map.of()) : route.apply(hit);
        }
        if (reply.hang()) {
            try {
                hung.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        hung.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    /** Pages of {@code size} items of a list: page {@code n} from 1; empty past the end. */
    static <T> List<T> page(List<T> items, int n, int size) {
        int from = Math.min(items.size(), (n - 1) * size);
        return new ArrayList<>(items.subList(from, Math.min(items.size(), from + size)));
    }
}
