package dev.sluice.bench;

import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.SourceResult;
import dev.sluice.postgres.PostgresServer;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * PostgreSQL → warehouse ingest through a {@code type: jdbc} source, against a plain JDBC {@code SELECT} read loop in
 * the same JVM (the floor any JDBC ingest stands on: the same driver, fetch size and value extraction, nothing
 * stored). A table of {@code --rows} orders (5 columns: bigint, int, numeric(12,2), text, timestamp) is generated in
 * the embedded PostgreSQL of the tests; each round times the plain read, the source's load with one stream and with
 * {@code --partitions} (the load as the run reports it: streaming, staging and replacing the warehouse table), and
 * reports medians, rows/s, the ratios and the peak heap of each phase (run under {@code -Xmx512m} by bench/run: a
 * load that held the table in memory would fail).
 *
 * <p>Run with {@code bench/run ingest [--rows 10000000] [--rounds 3] [--warmup 1] [--partitions 4]
 * [--fetch-size 10000] [--profile] [--only 0,1]}: {@code --profile} also times parts of a load on their own (a CSV
 * COPY into a file; the warehouse reading that file), {@code --only} keeps the phases of these indexes (to profile
 * one of them).
 */
public final class IngestBenchmark {
    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help")) {
                System.out.println("bench/run ingest [--rows 10000000] [--rounds 3] [--warmup 1] [--partitions 4] "
                        + "[--fetch-size 10000] [--profile] [--only 0,1]");
                return;
            }
            boolean valued = i + 1 < args.length && !args[i + 1].startsWith("--");
            options.put(args[i].replaceFirst("^--", ""), valued ? args[++i] : "");
        }
        long rows = Long.parseLong(options.getOrDefault("rows", "10000000"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "1"));
        int partitions = Integer.parseInt(options.getOrDefault("partitions", "4"));
        int fetchSize = Integer.parseInt(options.getOrDefault("fetch-size", "10000"));

        String database = PostgresServer.newDatabase("ingest");
        long start = System.nanoTime();
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id integer, amount numeric(12,2), "
                    + "status text, created_at timestamp)");
            statement.execute("INSERT INTO orders SELECT i, (i * 7919) % 100000, round(((i * 104729) % 1000000) "
                    + "/ 100.0, 2), (ARRAY['new','paid','shipped','returned'])[1 + i % 4], TIMESTAMP '2026-01-01' "
                    + "+ (i % 31536000) * INTERVAL '1 second' FROM generate_series(CAST(1 AS bigint), " + rows + ") AS i");
            statement.execute("VACUUM ANALYZE orders");
        }
        System.out.printf(Locale.ROOT, "generated %,d rows in PostgreSQL in %s%n", rows,
                Timings.seconds(System.nanoTime() - start));

        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "ingest-bench");
        Sluice single = project(dir.resolve("single"), database, "fetch_size: " + fetchSize);
        Sluice split = project(dir.resolve("split"), database, "fetch_size: " + fetchSize + "\n    partitions: "
                + partitions + "\n    partition_column: id");

        // Each round measures every phase once, in this order (the machine's load moves between rounds, so the
        // ratios compare phases of the same round); --profile adds parts of a load on their own.
        List<String> names = new ArrayList<>(List.of("plain JDBC read loop", "jdbc source, 1 stream",
                "jdbc source, partitions: " + partitions));
        List<Phase> phases = new ArrayList<>(List.of(() -> plainRead(database, fetchSize, rows),
                () -> load(single, rows), () -> load(split, rows)));
        if (options.containsKey("profile")) {
            Path csv = dir.resolve("profile.csv");
            names.add("profile: COPY into a file alone");
            phases.add(() -> copyToFile(database, csv, rows));
            names.add("profile: warehouse reading it alone");
            phases.add(() -> readFile(dir.resolve("profile.duckdb"), csv, rows));
        }
        if (options.containsKey("only")) {
            List<Integer> only = java.util.Arrays.stream(options.get("only").split(",")).map(Integer::valueOf).toList();
            List<String> keptNames = new ArrayList<>();
            List<Phase> keptPhases = new ArrayList<>();
            only.forEach(index -> {
                keptNames.add(names.get(index));
                keptPhases.add(phases.get(index));
            });
            names.clear();
            names.addAll(keptNames);
            phases.clear();
            phases.addAll(keptPhases);
        }
        List<Timings> timings = new ArrayList<>();
        names.forEach(name -> timings.add(new Timings(name)));
        long[] heap = new long[names.size()];
        Timings.rounds(warmup, rounds, (label, measured) -> {
            StringBuilder line = new StringBuilder(label + ":");
            for (int index = 0; index < phases.size(); index++) {
                resetPeaks();
                long elapsed = phases.get(index).run();
                long peak = peakHeap();
                line.append(String.format(Locale.ROOT, " %s %s (heap %s);", names.get(index),
                        Timings.seconds(elapsed), Timings.bytes(peak)));
                if (measured) {
                    timings.get(index).add(elapsed);
                    heap[index] = Math.max(heap[index], peak);
                }
            }
            System.out.println(line);
        });
        System.out.printf(Locale.ROOT, "%n%,d rows, %d rounds (medians), max heap %s, load average %.1f%n", rows,
                rounds, Timings.bytes(Runtime.getRuntime().maxMemory()),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Timings plain = timings.get(0);
        for (int index = 0; index < timings.size(); index++) {
            Timings timing = timings.get(index);
            System.out.printf(Locale.ROOT, "%-40s %8.2f s  %,12.0f rows/s  ratio %.2f  peak heap %s%n", names.get(index),
                    timing.median(), rows / timing.median(), plain.median() / timing.median(),
                    Timings.bytes(heap[index]));
        }
        Timings.deleteRecursively(dir);
    }

    /** One measured phase of a round: its time in nanoseconds. */
    private interface Phase {
        long run() throws Exception;
    }

    /** Profile: the source's COPY (as the jdbc source sends it for this table) into a file, nothing else. */
    private static long copyToFile(String database, Path file, long expected) throws Exception {
        long start = System.nanoTime();
        long count = 0;
        try (Connection connection = PostgresServer.connect(database);
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 18)) {
            CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (SELECT id, "
                    + "customer_id, amount, status, created_at FROM orders) TO STDOUT (FORMAT csv)");
            byte[] row;
            while ((row = copy.readFromCopy()) != null) {
                out.write(row);
                count++;
            }
        }
        check(count, expected, "COPY");
        return System.nanoTime() - start;
    }

    /** Profile: the warehouse's CSV reader loading that file into a table of a fresh database file. */
    private static long readFile(Path warehouse, Path file, long expected) throws Exception {
        Files.deleteIfExists(warehouse);
        long start = System.nanoTime();
        try (Connection connection = java.sql.DriverManager.getConnection("jdbc:duckdb:" + warehouse);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders AS SELECT * FROM read_csv('" + file + "', columns = {'id': "
                    + "'BIGINT', 'customer_id': 'INTEGER', 'amount': 'DECIMAL(12,2)', 'status': 'VARCHAR', "
                    + "'created_at': 'TIMESTAMP'}, header = false, auto_detect = false, delim = ',', quote = '\"', "
                    + "escape = '\"', allow_quoted_nulls = false)");
            try (ResultSet result = statement.executeQuery("SELECT count(*) FROM orders")) {
                result.next();
                check(result.getLong(1), expected, "warehouse read");
            }
        }
        long elapsed = System.nanoTime() - start;
        Files.deleteIfExists(warehouse);
        return elapsed;
    }

    private static Sluice project(Path root, String database, String settings) throws Exception {
        Files.createDirectories(root.resolve("models"));
        Files.writeString(root.resolve("sluice.yml"), """
                name: ingest_bench
                warehouse: target/ingest.duckdb
                sources:
                  raw.orders:
                    type: jdbc
                    url: %s
                    user: %s
                    table: orders
                    %s
                """.formatted(PostgresServer.url(database), PostgresServer.user(), settings));
        Files.writeString(root.resolve("models/order_count.sql"), "SELECT count(*) AS orders FROM raw.orders\n");
        return Sluice.open(root);
    }

    /** The baseline: the same SELECT, fetch size and value extraction, every value read and dropped. */
    private static long plainRead(String database, int fetchSize, long expected) throws Exception {
        long start = System.nanoTime();
        long count = 0;
        long checksum = 0;
        try (Connection connection = PostgresServer.connect(database)) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, customer_id, amount, status, "
                    + "created_at FROM orders")) {
                statement.setFetchSize(fetchSize);
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        checksum += result.getLong(1) + result.getInt(2) + result.getBigDecimal(3).scale()
                                + result.getString(4).length()
                                + result.getObject(5, LocalDateTime.class).getSecond();
                        count++;
                    }
                }
            }
            connection.rollback();
        }
        check(count, expected, "plain read");
        return System.nanoTime() - start + (checksum == Long.MIN_VALUE ? 1 : 0);
    }

    /** The source's load as the run reports it; the run also plans and builds a count over it. */
    private static long load(Sluice sluice, long expected) {
        RunResult run = sluice.run(RunOptions.defaults());
        SourceResult source = run.sources().get(0);
        if (!run.succeeded() || !source.loaded()) {
            throw new IllegalStateException("the ingest run failed: " + run);
        }
        check(source.rows(), expected, "jdbc source");
        return source.duration().toNanos();
    }

    private static void check(long count, long expected, String what) {
        if (count != expected) {
            throw new IllegalStateException(what + " read " + count + " rows, not " + expected);
        }
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The most heap in use at once since the last reset: the sum of the heap pools' peaks (an upper bound). */
    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
