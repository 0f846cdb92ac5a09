package dev.sluice.bench;

import dev.sluice.postgres.PostgresServer;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Where a one-stream PostgreSQL → warehouse load spends its CPU, measured as CPU seconds (not wall time, which the
 * other helpers' load on the 2 shared cores makes meaningless): the JVM's process CPU (Java threads and DuckDB's
 * native ones) and the PostgreSQL backend's ({@code /proc/<pid>/stat} of {@code pg_backend_pid()}), for each part of
 * the path on its own: the plain JDBC read loop, COPY (csv and binary) read and dropped, COPY into a file, and the
 * warehouse's CSV reader over that file (into a table of a database file, and only counted).
 *
 * <p>Run with {@code bench/run ingest-profile [--rows 2000000] [--rounds 3]}.
 */
public final class IngestProfile {
    private static final String SELECT = "SELECT id, customer_id, amount, status, created_at FROM orders";
    private static final String COLUMNS = "columns = {'id': 'BIGINT', 'customer_id': 'INTEGER', 'amount': "
            + "'DECIMAL(12,2)', 'status': 'VARCHAR', 'created_at': 'TIMESTAMP'}, header = false, auto_detect = false, "
            + "delim = ',', quote = '\"', escape = '\"', allow_quoted_nulls = false";

    private IngestProfile() {
    }

    /** CPU seconds of the JVM and of the PostgreSQL backend, and the wall time, of one part. */
    record Cost(double wall, double jvm, double backend) {
    }

    interface Part {
        void run(Connection postgres) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = DetectionBenchmark.options(args);
        long rows = Long.parseLong(options.getOrDefault("rows", "2000000"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        String database = PostgresServer.newDatabase("profile");
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id integer, amount numeric(12,2), "
                    + "status text, created_at timestamp)");
            statement.execute("INSERT INTO orders SELECT i, (i * 7919) % 100000, round(((i * 104729) % 1000000) "
                    + "/ 100.0, 2), (ARRAY['new','paid','shipped','returned'])[1 + i % 4], TIMESTAMP '2026-01-01' "
                    + "+ (i % 31536000) * INTERVAL '1 second' FROM generate_series(CAST(1 AS bigint), " + rows + ") AS i");
            statement.execute("VACUUM ANALYZE orders");
        }
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "ingest-profile");
        Path csv = dir.resolve("orders.csv");
        Map<String, Part> parts = new LinkedHashMap<>();
        parts.put("plain JDBC read loop", postgres -> plain(postgres, rows));
        parts.put("COPY csv, dropped", postgres -> copy(postgres, "csv", null, rows));
        parts.put("COPY binary, dropped", postgres -> copy(postgres, "binary", null, rows));
        parts.put("COPY csv into a file", postgres -> copy(postgres, "csv", csv, rows));
        parts.put("read_csv(file) counted", postgres -> warehouse(dir, csv, false, rows));
        parts.put("read_csv(file) into a table", postgres -> warehouse(dir, csv, true, rows));
        dev.sluice.Sluice sluice = project(dir.resolve("project"), database);
        parts.put("sluice load, 1 stream", postgres -> load(sluice, rows));
        Map<String, List<Cost>> costs = new LinkedHashMap<>();
        for (int round = 0; round <= rounds; round++) {
            for (Map.Entry<String, Part> part : parts.entrySet()) {
                Cost cost = measure(database, part.getValue());
                if (round > 0) {
                    costs.computeIfAbsent(part.getKey(), key -> new ArrayList<>()).add(cost);
                }
                System.out.printf(Locale.ROOT, "%s %-34s wall %6.2f s  jvm cpu %6.2f s  backend cpu %6.2f s%n",
                        round == 0 ? "warm-up" : "round " + round, part.getKey(), cost.wall(), cost.jvm(),
                        cost.backend());
            }
        }
        System.out.printf(Locale.ROOT, "%n%,d rows, medians of %d rounds, load average %.1f%n", rows, rounds,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        costs.forEach((name, list) -> System.out.printf(Locale.ROOT,
                "%-34s wall %6.2f s  jvm cpu %6.2f s  backend cpu %6.2f s  total cpu %6.2f s%n", name,
                Timings.median(list.stream().map(Cost::wall).toList()),
                Timings.median(list.stream().map(Cost::jvm).toList()),
                Timings.median(list.stream().map(Cost::backend).toList()),
                Timings.median(list.stream().map(c -> c.jvm() + c.backend()).toList())));
        Timings.deleteRecursively(dir);
        System.exit(0);
    }

    private static Cost measure(String database, Part part) throws Exception {
        System.gc();
        try (Connection postgres = PostgresServer.connect(database)) {
            long pid;
            try (Statement statement = postgres.createStatement();
                    ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
                result.next();
                pid = result.getLong(1);
            }
            postgres.setAutoCommit(false);
            double backend = backendCpu(pid);
            double jvm = jvmCpu();
            long start = System.nanoTime();
            part.run(postgres);
            double wall = (System.nanoTime() - start) / 1e9;
            Cost cost = new Cost(wall, jvmCpu() - jvm, backendCpu(pid) - backend);
            postgres.rollback();
            return cost;
        }
    }

    private static double jvmCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /**
     * CPU seconds of the whole PostgreSQL server the backend {@code pid} belongs to: its postmaster (with the
     * children it reaped: backends of pools closed meanwhile) and the children alive now (clock ticks of 1/100 s).
     */
    private static double backendCpu(long pid) throws Exception {
        long postmaster = Long.parseLong(stat(pid)[1]);
        String[] main = stat(postmaster);
        long ticks = Long.parseLong(main[11]) + Long.parseLong(main[12]) + Long.parseLong(main[13])
                + Long.parseLong(main[14]);
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String[] fields = stat(Long.parseLong(process.getFileName().toString()));
                    if (Long.parseLong(fields[1]) == postmaster) {
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (java.io.IOException | RuntimeException gone) {
                    // ended meanwhile: counted in the postmaster's reaped children
                }
            }
        }
        return ticks / 100.0;
    }

    /** The fields of /proc/pid/stat after the command's name: [0] state, [1] ppid, [11] utime, [12] stime... */
    private static String[] stat(long pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    private static void plain(Connection connection, long expected) throws Exception {
        long count = 0;
        long checksum = 0;
        try (PreparedStatement statement = connection.prepareStatement(SELECT)) {
            statement.setFetchSize(10000);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    checksum += result.getLong(1) + result.getInt(2) + result.getBigDecimal(3).scale()
                            + result.getString(4).length() + result.getObject(5, LocalDateTime.class).getSecond();
                    count++;
                }
            }
        }
        check(count + (checksum == Long.MIN_VALUE ? 1 : 0), expected);
    }

    private static void copy(Connection connection, String format, Path file, long expected) throws Exception {
        CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + SELECT
                + ") TO STDOUT (FORMAT " + format + ")");
        long count = 0;
        try (OutputStream out = file == null ? OutputStream.nullOutputStream()
                : new BufferedOutputStream(Files.newOutputStream(file), 1 << 18)) {
            byte[] row;
            while ((row = copy.readFromCopy()) != null) {
                out.write(row);
                count++;
            }
        }
        check(format.equals("binary") ? count - 1 : count, expected); // binary: a header message
    }

    private static void warehouse(Path dir, Path csv, boolean table, long expected) throws Exception {
        Path file = dir.resolve("profile.duckdb");
        Files.deleteIfExists(file);
        try (Connection connection = java.sql.DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement statement = connection.createStatement()) {
            String read = "read_csv('" + csv + "', " + COLUMNS + ")";
            if (table) {
                statement.execute("CREATE TABLE orders AS SELECT * FROM " + read);
                read = "orders";
            }
            try (ResultSet result = statement.executeQuery("SELECT count(*), sum(amount), max(created_at), "
                    + "max(status) FROM " + read)) {
                result.next();
                check(result.getLong(1), expected);
            }
        }
        Files.deleteIfExists(file);
    }

    private static dev.sluice.Sluice project(Path root, String database) throws Exception {
        Files.createDirectories(root.resolve("models"));
        Files.writeString(root.resolve("sluice.yml"), """
                name: ingest_profile
                warehouse: target/ingest.duckdb
                sources:
                  raw.orders:
                    type: jdbc
                    url: %s
                    user: %s
                    table: orders
                    fetch_size: 10000
                """.formatted(PostgresServer.url(database), PostgresServer.user()));
        Files.writeString(root.resolve("models/order_count.sql"), "SELECT count(*) AS orders FROM raw.orders\n");
        return dev.sluice.Sluice.open(root);
    }

    private static void load(dev.sluice.Sluice sluice, long expected) {
        dev.sluice.RunResult run = sluice.run(dev.sluice.RunOptions.defaults());
        if (!run.succeeded()) {
            throw new IllegalStateException("the run failed: " + run);
        }
        check(run.sources().get(0).rows(), expected);
    }

    private static void check(long count, long expected) {
        if (count != expected) {
            throw new IllegalStateException("read " + count + " rows, not " + expected);
        }
    }
}
