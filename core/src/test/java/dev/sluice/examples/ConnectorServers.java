package dev.sluice.examples;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.kafka.KafkaBroker;
import dev.sluice.postgres.PostgresServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The three servers of {@code sql/examples/connectors}, on this machine, from the test class path: a PostgreSQL shop
 * database with orders, an HTTP API of customers behind a bearer token, and a Kafka topic of clicks. {@link #start}
 * gives the environment variables the example's sluice.yml reads; {@link #main} writes them to a file to source,
 * then serves until stopped (Ctrl-C). Used by the README's example and by {@code ConnectorsExampleIT}.
 */
public final class ConnectorServers {
    /** The API's token: a demo value, passed to Sluice only through the environment, as a real one would be. */
    static final String TOKEN = "demo-crm-token";
    static final int CUSTOMERS = 120;
    private static final int PAGE_SIZE_LIMIT = 100;

    private final String database;
    private final HttpServer api;
    private final String topic;
    private int orders;
    private int clicks;

    private ConnectorServers(String database, HttpServer api, String topic) {
        this.database = database;
        this.api = api;
        this.topic = topic;
    }

    /** Starts the servers with 500 orders and 1,000 clicks. */
    public static ConnectorServers start() {
        String database = PostgresServer.newDatabase("shop");
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (order_id bigint PRIMARY KEY, customer_id bigint NOT NULL, "
                    + "status text NOT NULL, amount numeric(12,2) NOT NULL, ordered_at timestamp NOT NULL, "
                    + "updated_at timestamp NOT NULL)");
            statement.execute("CREATE SCHEMA analytics");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the shop database", e);
        }
        ConnectorServers servers = new ConnectorServers(database, customersApi(), KafkaBroker.newTopic("clicks", 2));
        servers.addOrders(500);
        servers.addClicks(1_000);
        return servers;
    }

    /** What sluice.yml reads from the environment. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        URI url = URI.create(PostgresServer.url(database).substring("jdbc:".length()));
        env.put("SHOP_PG_HOST", url.getHost() + ":" + url.getPort());
        env.put("SHOP_PG_DATABASE", database);
        env.put("SHOP_PG_USER", PostgresServer.user());
        env.put("SHOP_PG_PASSWORD", "postgres");
        env.put("CRM_HOST", "127.0.0.1:" + api.getAddress().getPort());
        env.put("CRM_TOKEN", TOKEN);
        env.put("KAFKA_BOOTSTRAP", KafkaBroker.bootstrapServers());
        env.put("CLICKS_TOPIC", topic);
        return env;
    }

    /** The shop database's name on the shared PostgreSQL. */
    public String database() {
        return database;
    }

    /**
     * Adds {@code count} new orders and moves the oldest 10 to {@code shipped}, with a later {@code updated_at}: what
     * the next run's watermark read must find.
     */
    public void addOrders(int count) {
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO orders SELECT n, 1 + n % " + CUSTOMERS + ", "
                    + "CASE WHEN n % 17 = 0 THEN 'cancelled' ELSE 'placed' END, round((5 + n % 300 * 1.37)::numeric, 2), "
                    + "timestamp '2026-11-01' + n * interval '7 minutes', now()::timestamp(0) "
                    + "FROM generate_series(" + (orders + 1) + ", " + (orders + count) + ") AS n");
            statement.execute("UPDATE orders SET status = 'shipped', updated_at = now()::timestamp(0) + interval '1 second' "
                    + "WHERE order_id IN (SELECT order_id FROM orders WHERE status = 'placed' ORDER BY order_id LIMIT 10)");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot add orders", e);
        }
        orders += count;
    }

    /** Produces {@code count} more click records, spread over the topic's two partitions. */
    public void addClicks(int count) {
        List<List<String>> byPartition = List.of(new ArrayList<>(), new ArrayList<>());
        for (int n = clicks + 1; n <= clicks + count; n++) {
            byPartition.get(n % 2).add(String.format("{\"click_id\": %d, \"customer_id\": %d, \"url\": \"/p/%d\", "
                    + "\"clicked_at\": \"2026-11-02T%02d:%02d:00\"}", n, 1 + n % CUSTOMERS, n % 40, n / 60 % 24, n % 60));
        }
        KafkaBroker.produce(topic, 0, byPartition.get(0));
        KafkaBroker.produce(topic, 1, byPartition.get(1));
        clicks += count;
    }

    /** {@code GET /v1/customers?page=N&per_page=M}: pages of customers under {@code data}, an empty page at the end. */
    private static HttpServer customersApi() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/v1/customers", exchange -> {
                try (exchange) {
                    if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                        exchange.sendResponseHeaders(401, -1);
                        return;
                    }
                    Map<String, Integer> query = new LinkedHashMap<>();
                    String raw = exchange.getRequestURI().getRawQuery();
                    for (String pair : raw == null ? new String[0] : raw.split("&")) {
                        String[] parts = pair.split("=", 2);
                        query.put(parts[0], Integer.parseInt(parts[1]));
                    }
                    int size = Math.min(query.getOrDefault("per_page", 20), PAGE_SIZE_LIMIT);
                    int first = (query.getOrDefault("page", 1) - 1) * size + 1;
                    List<String> records = new ArrayList<>();
                    for (int id = first; id < first + size && id <= CUSTOMERS; id++) {
                        records.add(String.format("{\"customer_id\": %d, \"name\": \"Customer %d\", \"address\": "
                                + "{\"country\": \"%s\", \"city\": \"C%d\"}, \"updated_at\": \"2026-10-%02dT09:00:00\"}",
                                id, id, List.of("DE", "FR", "NL", "ES").get(id % 4), id, 1 + id % 28));
                    }
                    byte[] body = ("{\"data\": [" + String.join(", ", records) + "]}").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the customers API", e);
        }
    }

    /** Stops the API; PostgreSQL and Kafka stop with the JVM. */
    public void stop() {
        api.stop(0);
    }

    /**
     * Starts the servers, writes {@code export NAME=value} lines to the file named by the first argument (default
     * {@code target/connectors.env}) and serves until the JVM is stopped.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        ConnectorServers servers = start();
        Path file = Path.of(args.length > 0 ? args[0] : "target/connectors.env").toAbsolutePath();
        StringBuilder lines = new StringBuilder();
        servers.environment().forEach((name, value) -> lines.append("export ").append(name).append("='")
                .append(value).append("'\n"));
        Files.createDirectories(file.getParent());
        Files.writeString(file, lines);
        System.out.println("PostgreSQL, the customers API and Kafka are up. In another shell:\n  . " + file
                + "\n  ./sluice run sql/examples/connectors\nCtrl-C stops the servers.");
        new CountDownLatch(1).await();
    }
}
