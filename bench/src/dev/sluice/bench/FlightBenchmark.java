package dev.sluice.bench;

import dev.sluice.serve.ServeOptions;
import dev.sluice.serve.SluiceServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * Reading a large table over Arrow Flight SQL from {@code sluice serve} (loopback, no TLS) against DuckDB's JDBC
 * driver reading the same table in this JVM (every value of every row fetched with its typed getter): rows/s of
 * each, the ratio, and the Flight read's time to its first batch. Medians of several rounds.
 *
 * <p>Run with {@code bench/run flight [--rows 20000000] [--rounds 3] [--warmup 1] [--keep]}.
 */
public final class FlightBenchmark {
    private FlightBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = DetectionBenchmark.options(args);
        long rows = Long.parseLong(options.getOrDefault("rows", "20000000"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "1"));
        Path root = Files.createTempDirectory(Path.of("target/bench-tmp").toAbsolutePath(), "flight");
        try {
            Path warehouse = root.resolve("target/flight.duckdb");
            Files.createDirectories(warehouse.getParent());
            Files.writeString(root.resolve("sluice.yml"), "name: flight\n");
            Files.createDirectories(root.resolve("models"));
            String sql = "SELECT * FROM main.big";
            System.out.printf("building main.big: %,d rows x 4 columns (BIGINT, INTEGER, DOUBLE, VARCHAR)%n", rows);
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + warehouse);
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE main.big AS SELECT range AS id, CAST(range % 1000 AS INTEGER) AS "
                        + "user_id, range * 0.25 AS amount, 'customer-' || (range % 100000) AS label FROM range("
                        + rows + ")");
            }

            Timings jdbc = new Timings("DuckDB JDBC in-process");
            Timings.rounds(warmup, rounds, (label, measured) -> {
                long start = System.nanoTime();
                long count = readJdbc(warehouse, sql);
                long elapsed = System.nanoTime() - start;
                check(count, rows);
                System.out.printf("  %s JDBC: %s (%,.0f rows/s)%n", label, Timings.seconds(elapsed),
                        rows / (elapsed / 1e9));
                if (measured) {
                    jdbc.add(elapsed);
                }
            });

            Timings flight = new Timings("Flight SQL");
            Timings firstBatch = new Timings("time to first batch");
            try (SluiceServer server = SluiceServer.start(root, ServeOptions.loopback(), (out, err, runs, a) -> 2,
                    notice -> {
                    });
                    BufferAllocator allocator = new RootAllocator();
                    FlightClient client = FlightClient.builder(allocator, Location.forGrpcInsecure(
                            server.address().host(), server.address().port())).build()) {
                FlightSqlClient sqlClient = new FlightSqlClient(client);
                Timings.rounds(warmup, rounds, (label, measured) -> {
                    long start = System.nanoTime();
                    long first = 0;
                    long count = 0;
                    FlightInfo info = sqlClient.execute(sql);
                    try (FlightStream stream = sqlClient.getStream(info.getEndpoints().get(0).getTicket())) {
                        while (stream.next()) {
                            if (first == 0) {
                                first = System.nanoTime() - start;
                            }
                            count += stream.getRoot().getRowCount();
                        }
                    }
                    long elapsed = System.nanoTime() - start;
                    check(count, rows);
                    System.out.printf("  %s Flight SQL: %s (%,.0f rows/s), first batch after %.1f ms%n", label,
                            Timings.seconds(elapsed), rows / (elapsed / 1e9), first / 1e6);
                    if (measured) {
                        flight.add(elapsed);
                        firstBatch.add(first);
                    }
                });
            }
            double jdbcRate = rows / jdbc.median();
            double flightRate = rows / flight.median();
            System.out.printf("%nrows %,d; medians of %d rounds%n", rows, rounds);
            System.out.printf("| reader | median | rows/s |%n| --- | --- | --- |%n");
            System.out.printf("| DuckDB JDBC in-process | %.3f s | %,.0f |%n", jdbc.median(), jdbcRate);
            System.out.printf("| Flight SQL (sluice serve, loopback) | %.3f s | %,.0f |%n", flight.median(), flightRate);
            System.out.printf("ratio Flight/JDBC rows/s: %.2f; Flight time to first batch: median %.1f ms%n",
                    flightRate / jdbcRate, firstBatch.median() * 1000);
        } finally {
            if (!options.containsKey("keep")) {
                Timings.deleteRecursively(root);
            }
        }
    }

    /** Every value of every row read with its typed getter, as a JDBC client reads a result. */
    private static long readJdbc(Path warehouse, String sql) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("duckdb.read_only", "true");
        long count = 0;
        long checksum = 0;
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + warehouse, properties);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                checksum += result.getLong(1) + result.getInt(2) + (long) result.getDouble(3)
                        + result.getString(4).length();
                count++;
            }
        }
        if (checksum == 42) {
            System.out.print("");
        }
        return count;
    }

    private static void check(long count, long rows) {
        if (count != rows) {
            throw new IllegalStateException("read " + count + " rows of " + rows);
        }
    }
}
