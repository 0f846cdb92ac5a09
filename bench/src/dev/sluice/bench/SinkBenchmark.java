package dev.sluice.bench;

import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;

/**
 * A model's sink (issue 14): rows/s written to PostgreSQL by Sluice's sink (COPY into a staging table, then a swap,
 * as recorded in {@code sluice.sink_writes.duration_ms}) against a plain JDBC client in the same JVM reading the same
 * table from the warehouse and writing it with batched INSERTs ({@code reWriteBatchedInserts}, 10,000 a batch, one
 * transaction). The embedded PostgreSQL of the tests is the target. {@code bench/run sink [--rows 1000000]
 * [--rounds 3] [--warmup 1]}.
 */
public final class SinkBenchmark {
    private SinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = 1_000_000;
        int rounds = 3;
        int warmup = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: bench/run sink [--rows 1000000] [--rounds 3] [--warmup 1]");
                    System.exit(2);
                }
            }
        }
        String database = PostgresServer.newDatabase("sink_bench");
        Path project = Files.createTempDirectory(Path.of("target/bench-tmp"), "sink-bench");
        Files.writeString(project.resolve("sluice.yml"), "name: sink_bench\nwarehouse: target/bench.duckdb\n");
        Files.createDirectories(project.resolve("models"));
        Files.writeString(project.resolve("models/wide.sql"), String.format(Locale.ROOT, """
                /*---
                materialized: table
                parser: duckdb
                sink: { type: jdbc, url: "%s", user: postgres, table: bench.wide }
                ---*/
                SELECT i AS id, 'customer ' || i AS name, CAST(i * 1.5 AS DECIMAL(18,2)) AS amount,
                    TIMESTAMP '2026-01-01' + to_seconds(i) AS at, i %% 2 = 0 AS even
                FROM range(%d) t(i)
                """, PostgresServer.url(database), rows));
        Timings sink = new Timings("sink (COPY + swap)");
        Timings plain = new Timings("plain JDBC batched INSERT");
        final long total = rows;
        Timings.rounds(warmup, rounds, (label, measured) -> {
            Sluice sluice = Sluice.open(project);
            RunResult run = sluice.run(RunOptions.defaults().withFullRefresh());
            if (!run.succeeded()) {
                throw new IllegalStateException("the run failed: " + run.models());
            }
            long millis = (Long) sluice.query("SELECT duration_ms FROM sluice.sink_writes WHERE run_id = "
                    + run.runId()).rows().get(0).get(0);
            long plainNanos = plainInsert(project.resolve("target/bench.duckdb"), database);
            System.out.printf(Locale.ROOT, "%s: sink %.3f s, plain %.3f s%n", label, millis / 1e3, plainNanos / 1e9);
            if (measured) {
                sink.add(millis * 1_000_000L);
                plain.add(plainNanos);
            }
        });
        System.out.println(sink.summary());
        System.out.println(plain.summary());
        System.out.printf(Locale.ROOT, "rows %,d: sink %,.0f rows/s, plain %,.0f rows/s, sink/plain speed %.2f×%n",
                total, total / sink.median(), total / plain.median(), plain.median() / sink.median());
    }

    /** Reads the model's table from the warehouse and writes it to a new PostgreSQL table with batched INSERTs. */
    private static long plainInsert(Path warehouse, String database) throws Exception {
        long start = System.nanoTime();
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection source = DriverManager.getConnection("jdbc:duckdb:" + warehouse, readOnly);
                Connection target = DriverManager.getConnection(PostgresServer.url(database)
                        + "?reWriteBatchedInserts=true", PostgresServer.user(), "")) {
            target.setAutoCommit(false);
            try (Statement statement = target.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS bench.plain; CREATE TABLE bench.plain (id bigint, name text, "
                        + "amount numeric(18,2), at timestamp, even boolean)");
            }
            try (Statement read = source.createStatement();
                    ResultSet result = read.executeQuery("SELECT * FROM main.wide");
                    PreparedStatement insert = target.prepareStatement("INSERT INTO bench.plain VALUES (?, ?, ?, ?, ?)")) {
                int batched = 0;
                while (result.next()) {
                    insert.setLong(1, result.getLong(1));
                    insert.setString(2, result.getString(2));
                    insert.setBigDecimal(3, result.getBigDecimal(3));
                    insert.setTimestamp(4, result.getTimestamp(4));
                    insert.setBoolean(5, result.getBoolean(5));
                    insert.addBatch();
                    if (++batched == 10_000) {
                        insert.executeBatch();
                        batched = 0;
                    }
                }
                insert.executeBatch();
            }
            target.commit();
        }
        return System.nanoTime() - start;
    }
}
