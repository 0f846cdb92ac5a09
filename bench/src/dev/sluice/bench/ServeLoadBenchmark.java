package dev.sluice.bench;

import dev.sluice.serve.ServeOptions;
import dev.sluice.serve.SluiceServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * {@code sluice serve} under read load while it runs the pipeline: 50 Flight SQL clients (each its own connection)
 * run small queries in a loop for as long as a run requested through the server's run action lasts. Reports the
 * queries' latency (p50, p99, max) and throughput during the run, and the run's duration under load against the same
 * run alone on the same server (the ratio), alternating alone and loaded rounds; medians of the rounds.
 *
 * <p>Run with {@code bench/run serve-load [--rows 3000000] [--clients 50] [--think-ms 0] [--rounds 3] [--warmup 1]
 * [--keep]}; {@code --think-ms} is each client's pause between queries (0: back to back, the worst case).
 */
public final class ServeLoadBenchmark {
    private static final String RUN_BODY = "{\"full_refresh\": true}";

    private ServeLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = DetectionBenchmark.options(args);
        long rows = Long.parseLong(options.getOrDefault("rows", "3000000"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "50"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "1"));
        long thinkMillis = Long.parseLong(options.getOrDefault("think-ms", "0"));
        Path root = Files.createTempDirectory(Path.of("target/bench-tmp").toAbsolutePath(), "serve-load");
        try {
            project(root, rows);
            System.out.printf("pipeline: synthetic source of %,d rows -> stg_orders (table) -> daily (table), "
                    + "customers (table); %d clients querying customers, %d ms between queries%n", rows, clients,
                    thinkMillis);
            Timings alone = new Timings("run alone");
            Timings loaded = new Timings("run under load");
            Timings p50 = new Timings("p50");
            Timings p99 = new Timings("p99");
            List<Long> throughput = new ArrayList<>();
            try (SluiceServer server = SluiceServer.start(root, ServeOptions.loopback().withMetricsPort(
                    ServeOptions.NO_METRICS), (out, err, runs, a) -> 2, notice -> {
                    });
                    BufferAllocator allocator = new RootAllocator()) {
                Location location = Location.forGrpcInsecure(server.address().host(), server.address().port());
                try (FlightClient runner = FlightClient.builder(allocator, location).build()) {
                    run(runner); // the first run builds everything the queries read
                    Timings.rounds(warmup, rounds, (label, measured) -> {
                        long single = run(runner);
                        Load load = underLoad(allocator, location, clients, thinkMillis, () -> run(runner));
                        List<Long> latencies = load.latencies();
                        Collections.sort(latencies);
                        long median = percentile(latencies, 0.50);
                        long tail = percentile(latencies, 0.99);
                        long queriesPerSecond = Math.round(latencies.size() / (load.runNanos() / 1e9));
                        System.out.printf("  %s: alone %s, under load %s (ratio %.2f); %,d queries, %,d/s, "
                                + "p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", label, Timings.seconds(single),
                                Timings.seconds(load.runNanos()), (double) load.runNanos() / single,
                                latencies.size(), queriesPerSecond, median / 1e6, tail / 1e6,
                                latencies.get(latencies.size() - 1) / 1e6);
                        if (measured) {
                            alone.add(single);
                            loaded.add(load.runNanos());
                            p50.add(median);
                            p99.add(tail);
                            throughput.add(queriesPerSecond);
                        }
                    });
                }
            }
            Collections.sort(throughput);
            System.out.printf("%nrows %,d; %d clients, %d ms between queries; medians of %d rounds%n", rows, clients,
                    thinkMillis, rounds);
            System.out.printf("| run alone | run under load | ratio | query p50 | query p99 | queries/s |%n");
            System.out.printf("| --- | --- | --- | --- | --- | --- |%n");
            System.out.printf("| %.3f s | %.3f s | %.2f | %.1f ms | %.1f ms | %,d |%n", alone.median(),
                    loaded.median(), loaded.median() / alone.median(), p50.median() * 1000, p99.median() * 1000,
                    throughput.get(throughput.size() / 2));
        } finally {
            if (!options.containsKey("keep")) {
                Timings.deleteRecursively(root);
            }
        }
    }

    private static void project(Path root, long rows) throws Exception {
        Files.writeString(root.resolve("sluice.yml"), """
                name: load
                sources:
                  raw.orders:
                    type: synthetic
                    rows: %d
                    seed: 7
                    columns:
                      order_id:    { type: BIGINT, generator: sequence }
                      customer_id: { type: BIGINT, generator: reference, max: 5000 }
                      order_date:  { type: DATE, generator: date, start: 2024-01-01, end: 2024-12-31 }
                      amount:      { type: DOUBLE, generator: uniform, min: 1, max: 500 }
                      status:      { type: VARCHAR, generator: choice, values: [placed, shipped, cancelled] }
                """.formatted(rows));
        Path models = Files.createDirectories(root.resolve("models"));
        Files.writeString(models.resolve("stg_orders.sql"), "/*---\nmaterialized: table\n---*/\n"
                + "SELECT order_id, customer_id, order_date, amount, status FROM raw.orders "
                + "WHERE status <> 'cancelled'\n");
        Files.writeString(models.resolve("daily.sql"), "/*---\nmaterialized: table\n---*/\n"
                + "SELECT order_date, count(*) AS orders, sum(amount) AS revenue FROM stg_orders GROUP BY order_date\n");
        Files.writeString(models.resolve("customers.sql"), "/*---\nmaterialized: table\n---*/\n"
                + "SELECT customer_id, count(*) AS orders, sum(amount) AS revenue, max(order_date) AS last_order "
                + "FROM stg_orders GROUP BY customer_id\n");
    }

    /** Runs the pipeline through the server's run action; its duration in nanoseconds. */
    private static long run(FlightClient client) {
        long start = System.nanoTime();
        Iterator<Result> results = client.doAction(new Action("run", RUN_BODY.getBytes(StandardCharsets.UTF_8)));
        String answer = new String(results.next().getBody(), StandardCharsets.UTF_8);
        results.forEachRemaining(result -> {
        });
        if (!answer.contains("\"succeeded\":true")) {
            throw new IllegalStateException("the run failed: " + answer);
        }
        return System.nanoTime() - start;
    }

    /** What the clients measured while a run lasted. */
    private record Load(long runNanos, List<Long> latencies) {
    }

    @FunctionalInterface
    private interface Timed {
        long call() throws Exception;
    }

    /**
     * Starts {@code clients} clients, each on its own connection, and once all are connected and have run one
     * query, runs {@code work} while they query; the latencies of the queries that ran during it.
     */
    private static Load underLoad(BufferAllocator allocator, Location location, int clients, long thinkMillis,
            Timed work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch ready = new CountDownLatch(clients);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong failures = new AtomicLong();
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int c = 0; c < clients; c++) {
                int client = c;
                running.add(pool.submit(() -> {
                    try (FlightClient flight = FlightClient.builder(allocator, location).build()) {
                        FlightSqlClient sql = new FlightSqlClient(flight);
                        long customer = 1 + client;
                        query(sql, customer);
                        ready.countDown();
                        while (!stop.get()) {
                            customer = customer % 5000 + clients;
                            long start = System.nanoTime();
                            query(sql, customer);
                            long elapsed = System.nanoTime() - start;
                            if (measuring.get()) {
                                latencies.add(elapsed);
                            }
                            if (thinkMillis > 0) {
                                Thread.sleep(thinkMillis);
                            }
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        ready.countDown();
                        throw new IllegalStateException("client " + client + " failed", e);
                    }
                    return null;
                }));
            }
            if (!ready.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the clients did not connect within 5 minutes");
            }
            measuring.set(true);
            long runNanos = work.call();
            measuring.set(false);
            stop.set(true);
            for (Future<?> future : running) {
                future.get();
            }
            if (failures.get() > 0 || latencies.isEmpty()) {
                throw new IllegalStateException(failures.get() + " clients failed, " + latencies.size() + " queries");
            }
            return new Load(runNanos, new ArrayList<>(latencies));
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    /** One small query, read whole: one customer's row of the published mart. */
    private static void query(FlightSqlClient sql, long customer) throws Exception {
        FlightInfo info = sql.execute("SELECT customer_id, orders, revenue, last_order FROM customers "
                + "WHERE customer_id = " + customer);
        try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket())) {
            while (stream.next()) {
                stream.getRoot().getRowCount();
            }
        }
    }

    private static long percentile(List<Long> sorted, double fraction) {
        int index = (int) Math.ceil(fraction * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
