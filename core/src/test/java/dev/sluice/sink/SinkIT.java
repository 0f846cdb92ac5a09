package dev.sluice.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.ProjectFixture;
import dev.sluice.RunResult;
import dev.sluice.exec.FaultPoints;
import dev.sluice.postgres.PostgresServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models written to a real PostgreSQL (the embedded test server) by their {@code sink:}: whole replacement by a swap,
 * merges of increments by key, the target equal to the warehouse (EXCEPT ALL both ways), faults injected at the
 * sink's named points, and the next run catching up.
 */
class SinkIT {
    @TempDir
    Path dir;

    private String database;
    private ProjectFixture project;

    @BeforeEach
    void createProject() {
        database = PostgresServer.newDatabase("sink");
        project = ProjectFixture.copy("sink_orders", dir);
        project.replace("models/orders_mart.sql", "PG_URL", PostgresServer.url(database));
        project.replace("models/orders_latest.sql", "PG_URL", PostgresServer.url(database));
    }

    @AfterEach
    void disarm() {
        FaultPoints.disarm(SinkWriter.STAGED);
        FaultPoints.disarm(SinkWriter.COMMIT);
    }

    @Test
    void replacesAndMergesTargetsThatEqualTheWarehouseExactly() throws Exception {
        RunResult first = project.run();

        assertThat(first.succeeded()).as("%s", first.models()).isTrue();
        assertSameRows("orders_mart", "analytics.orders_mart");
        assertSameRows("orders_latest", "analytics.orders_latest");
        assertThat(targetRows("analytics.orders_mart")).containsExactly("1|ADA|10.50|2026-01-01 10:00:00",
                "2|BOB|20.00|2026-01-02 11:30:00", "3|C\\O, \"QUOTED\"\tTAB|30.25|2026-01-03 12:00:00.123456");

        // order 2 changes, order 4 is new: the merge model folds an increment of two rows into its target by key
        project.write("data/orders-2.csv", "order_id,customer,amount,ordered_at\n2,bob,99.99,2026-01-05 09:00:00\n"
                + "4,dee,40.00,2026-01-04 08:00:00\n");
        RunResult second = project.run();

        assertThat(second.succeeded()).as("%s", second.models()).isTrue();
        assertSameRows("orders_mart", "analytics.orders_mart");
        assertSameRows("orders_latest", "analytics.orders_latest");
        assertThat(targetRows("analytics.orders_latest")).containsExactly("1|ada|10.50|2026-01-01 10:00:00",
                "2|bob|99.99|2026-01-05 09:00:00", "3|c\\o, \"quoted\"\ttab|30.25|2026-01-03 12:00:00.123456",
                "4|dee|40.00|2026-01-04 08:00:00");
        assertThat(writes()).containsExactly(
                "main.orders_latest|full|success|3", "main.orders_mart|full|success|3",
                "main.orders_latest|increment|success|2", "main.orders_mart|full|success|5");
        // the increment kept for the sink is gone once written
        assertThat(project.query("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE "
                + "'%sluice_sink%'").rows().get(0).get(0)).isEqualTo(0L);
    }

    @Test
    void aReaderSeesTheOldTableOrTheNewOneNeverPartOfOne() throws Exception {
        project.run();
        project.write("data/orders-2.csv", "order_id,customer,amount,ordered_at\n4,dee,40.00,2026-01-04 08:00:00\n");
        List<String> seen = new ArrayList<>();
        CompletableFuture<String>[] blocked = new CompletableFuture[1];
        FaultPoints.arm(SinkWriter.STAGED, (model, session) -> {
            if (model.equals("orders_mart")) {
                // the new rows are staged on the target, its transaction open: a reader sees the old table whole
                seen.add(totals());
            }
        });
        FaultPoints.arm(SinkWriter.COMMIT, (model, session) -> {
            if (model.equals("orders_mart")) {
                // swapped, not committed: a reader starting now waits for the commit, then reads the new table
                blocked[0] = CompletableFuture.supplyAsync(this::totals);
                awaitReaderWaitingOnLock();
            }
        });

        RunResult second = project.run();

        assertThat(second.succeeded()).as("%s", second.models()).isTrue();
        assertThat(seen).containsExactly("3|60.75");
        assertThat(blocked[0].get(30, TimeUnit.SECONDS)).isEqualTo("4|100.75");
        assertThat(totals()).isEqualTo("4|100.75");
    }

    @Test
    void aWriteKilledMidwayLeavesThePreviousTableAndTheNextRunCatchesUp() throws Exception {
        RunResult first = project.run();
        assertThat(first.succeeded()).as("%s", first.models()).isTrue();
        List<String> before = targetRows("analytics.orders_mart");
        List<String> latestBefore = targetRows("analytics.orders_latest");
        project.write("data/orders-2.csv", "order_id,customer,amount,ordered_at\n2,bob,99.99,2026-01-05 09:00:00\n"
                + "4,dee,40.00,2026-01-04 08:00:00\n");
        FaultPoints.arm(SinkWriter.STAGED, (model, session) -> terminateSinkConnections());

        RunResult failed = project.run();

        ModelResult mart = failed.model("orders_mart").orElseThrow();
        assertThat(mart.status()).isEqualTo(ModelStatus.FAILED);
        assertThat(mart.error()).startsWith("Cannot write model orders_mart's sink (models/orders_mart.sql:3:7) to "
                + "postgres://localhost:" + PostgresServer.shared().getPort() + "/" + database
                + ".analytics.orders_mart: ").contains("terminating connection due to administrator command")
                .endsWith("; the warehouse has the new data and the sink table does not (it keeps its previous "
                        + "rows): fix the cause and run again, the next run writes the sink to catch up");
        assertThat(failed.model("orders_latest").orElseThrow().status()).isEqualTo(ModelStatus.FAILED);
        // the warehouse published; the targets kept their tables
        assertThat(project.query("SELECT count(*) FROM main.orders_mart").rows().get(0).get(0)).isEqualTo(5L);
        assertThat(targetRows("analytics.orders_mart")).isEqualTo(before);
        assertThat(targetRows("analytics.orders_latest")).isEqualTo(latestBefore);
        assertThat(writes()).containsExactly("main.orders_latest|full|success|3", "main.orders_mart|full|success|3",
                "main.orders_latest|increment|failed|null", "main.orders_mart|full|failed|null");
        assertThat(project.query("SELECT warning FROM sluice.model_runs WHERE run_id = " + failed.runId()
                + " AND model = 'main.orders_mart'").rows().get(0).get(0)).isEqualTo(mart.error());

        FaultPoints.disarm(SinkWriter.STAGED);
        RunResult caughtUp = project.run();

        // nothing to rebuild, but both targets are behind: written whole
        assertThat(caughtUp.succeeded()).as("%s", caughtUp.models()).isTrue();
        assertThat(caughtUp.model("orders_mart").orElseThrow().status()).isEqualTo(ModelStatus.UP_TO_DATE);
        assertSameRows("orders_mart", "analytics.orders_mart");
        assertSameRows("orders_latest", "analytics.orders_latest");
        assertThat(writes().subList(4, 6)).containsExactly("main.orders_latest|full|success|4",
                "main.orders_mart|full|success|5");

        RunResult quiet = project.run();
        assertThat(quiet.succeeded()).isTrue();
        assertThat(writes()).hasSize(6);
    }

    @Test
    void aMergeTargetLeftBehindIsWrittenWholeByTheNextIncrement() throws Exception {
        project.run();
        project.write("data/orders-2.csv", "order_id,customer,amount,ordered_at\n2,bob,99.99,2026-01-05 09:00:00\n");
        FaultPoints.arm(SinkWriter.COMMIT, (model, session) -> {
            if (model.equals("orders_latest")) {
                terminateSinkConnections();
            }
        });
        assertThat(project.run().model("orders_latest").orElseThrow().status()).isEqualTo(ModelStatus.FAILED);
        FaultPoints.disarm(SinkWriter.COMMIT);

        project.write("data/orders-3.csv", "order_id,customer,amount,ordered_at\n5,eve,50.00,2026-01-06 08:00:00\n");
        RunResult next = project.run();

        assertThat(next.succeeded()).as("%s", next.models()).isTrue();
        assertSameRows("orders_latest", "analytics.orders_latest");
        assertThat(writes().get(writes().size() - 2)).isEqualTo("main.orders_latest|full|success|4");
    }

    @Test
    void aConnectionKilledOnceIsRetried() throws Exception {
        project.replace("models/orders_mart.sql", "retries: 0", "retries: 2, backoff: 10 ms");
        project.run();
        project.write("data/orders-2.csv", "order_id,customer,amount,ordered_at\n4,dee,40.00,2026-01-04 08:00:00\n");
        int[] kills = {0};
        FaultPoints.arm(SinkWriter.STAGED, (model, session) -> {
            if (model.equals("orders_mart") && kills[0]++ == 0) {
                terminateSinkConnections();
            }
        });

        RunResult second = project.run();

        assertThat(second.model("orders_mart").orElseThrow().status()).isEqualTo(ModelStatus.SUCCESS);
        assertThat(kills[0]).isEqualTo(2);
        assertSameRows("orders_mart", "analytics.orders_mart");
    }

    @Test
    void aServerThatIsDownIsRetriedThenFailsTheModelClearly() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        project.replace("models/orders_mart.sql", PostgresServer.url(database), "jdbc:postgresql://localhost:" + port
                + "/shop");
        project.replace("models/orders_mart.sql", "retries: 0", "retries: 2, backoff: 10 ms, timeout: 2 seconds");

        RunResult run = project.run();

        ModelResult mart = run.model("orders_mart").orElseThrow();
        assertThat(mart.status()).isEqualTo(ModelStatus.FAILED);
        assertThat(mart.error()).isEqualTo("Cannot write model orders_mart's sink (models/orders_mart.sql:3:7) to "
                + "postgres://localhost:" + port + "/shop.analytics.orders_mart: the server cannot be reached after 3 "
                + "attempts: Connection to localhost:" + port + " refused. Check that the hostname and port are "
                + "correct and that the postmaster is accepting TCP/IP connections. (SQL state 08001); the "
                + "warehouse has the new data and the sink table does not (it keeps its previous rows): fix the "
                + "cause and run again, the next run writes the sink to catch up");
        assertThat(run.model("orders_latest").orElseThrow().status()).isEqualTo(ModelStatus.SUCCESS);
        assertThat(project.query("SELECT count(*) FROM main.orders_mart").rows().get(0).get(0)).isEqualTo(3L);
    }

    @Test
    void aChangedColumnSetIsSwappedInAndTheOtherColumnsKeepTheirValues() throws Exception {
        project.run();
        project.replace("models/orders_mart.sql", "amount, ordered_at FROM", "amount * 2 AS doubled, ordered_at, "
                + "CAST(ordered_at AS DATE) AS order_day FROM");

        RunResult changed = project.run();

        assertThat(changed.succeeded()).as("%s", changed.models()).isTrue();
        assertSameRows("orders_mart", "analytics.orders_mart");
        List<String> columns = new ArrayList<>();
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT column_name || ' ' || data_type FROM "
                        + "information_schema.columns WHERE table_schema = 'analytics' AND table_name = 'orders_mart' "
                        + "ORDER BY ordinal_position")) {
            while (result.next()) {
                columns.add(result.getString(1));
            }
        }
        assertThat(columns).containsExactly("order_id bigint", "customer text", "doubled numeric",
                "ordered_at timestamp without time zone", "order_day date");
    }

    @Test
    void aViewIsWrittenToo() throws Exception {
        project.replace("models/orders_mart.sql", "materialized: table", "materialized: view");

        RunResult run = project.run();

        assertThat(run.succeeded()).as("%s", run.models()).isTrue();
        assertSameRows("orders_mart", "analytics.orders_mart");
    }

    @Test
    void aWindowedModelIsWrittenWhenItBuildsIntervalsAndNotWhenUpToDate() throws Exception {
        ProjectFixture windowed = ProjectFixture.copy("windowed_events", dir.resolve("windowed"));
        windowed.replace("models/daily.sql", "time: {", "sink: { type: jdbc, url: \"" + PostgresServer.url(database)
                + "\", user: postgres, table: analytics.daily }\ntime: {");
        windowed.write("data/a.csv", "event_id,event_ts,amount\n1,2024-01-01 00:10:00,1\n2,2024-01-02 05:00:00,2\n"
                + "3,2024-01-03 01:00:00,4\n");

        RunResult first = windowed.run();
        RunResult second = windowed.run();

        assertThat(first.succeeded()).as("%s", first.models()).isTrue();
        assertThat(second.model("daily").orElseThrow().status()).isEqualTo(ModelStatus.UP_TO_DATE);
        assertThat(windowed.query("SELECT count(*) FROM sluice.sink_writes").rows().get(0).get(0)).isEqualTo(1L);
        List<List<Object>> rows = windowed.query("SELECT * FROM main.daily ORDER BY day").rows();
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM analytics.daily")) {
            result.next();
            assertThat(result.getLong(1)).isEqualTo(rows.size()).isPositive();
        }
    }

    @Test
    void refusesAtPlanTimeAMergeKeyTheModelDoesNotOutput() {
        project.replace("models/orders_mart.sql", "retries: 0", "mode: merge, key: [order_idx]");

        assertThat(ProjectFixture.failure(project::run).getMessage()).isEqualTo("models/orders_mart.sql:3:7: Cannot "
                + "plan model orders_mart's sink: key column 'order_idx' is not one of its columns (order_id, "
                + "customer, amount, ordered_at); fix key in its sink (or the incremental unique_key it defaults to)");
    }

    private String totals() {
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*), sum(amount) FROM analytics.orders_mart")) {
            result.next();
            return result.getLong(1) + "|" + result.getBigDecimal(2);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until a reader of the database is waiting for a lock (the swap's), polling the server's own view. */
    private void awaitReaderWaitingOnLock() {
        try (Connection connection = PostgresServer.connect(database)) {
            for (int i = 0; i < 3000; i++) {
                try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type "
                                + "= 'Lock' AND query LIKE 'SELECT count(*), sum(amount)%'")) {
                    result.next();
                    if (result.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.onSpinWait();
            }
            throw new AssertionError("the reader never waited for the swap's lock");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void terminateSinkConnections() {
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
                    + "'sluice sink' AND datname = current_database()");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> writes() {
        List<String> writes = new ArrayList<>();
        project.query("SELECT model, write_kind, status, rows FROM sluice.sink_writes ORDER BY run_id, model").rows()
                .forEach(row -> writes.add(row.get(0) + "|" + row.get(1) + "|" + row.get(2) + "|" + row.get(3)));
        return writes;
    }

    private List<String> targetRows(String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT order_id, customer, amount, ordered_at FROM " + table
                        + " ORDER BY order_id")) {
            while (result.next()) {
                rows.add(result.getString(1) + "|" + result.getString(2) + "|" + result.getString(3) + "|"
                        + result.getString(4));
            }
        }
        return rows;
    }

    /**
     * The target table holds exactly the model's rows: the warehouse's rows are put beside it in PostgreSQL, and
     * {@code EXCEPT ALL} both ways finds nothing.
     */
    private void assertSameRows(String model, String table) throws SQLException {
        List<List<Object>> rows = project.query("SELECT * FROM main." + model).rows();
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS expected; CREATE TEMPORARY TABLE expected (LIKE " + table + ")");
            int columns = rows.isEmpty() ? 0 : rows.get(0).size();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO expected VALUES ("
                    + String.join(", ", java.util.Collections.nCopies(columns, "?")) + ")")) {
                for (List<Object> row : rows) {
                    for (int i = 0; i < columns; i++) {
                        insert.setObject(i + 1, row.get(i));
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            for (String query : List.of("SELECT count(*) FROM (SELECT * FROM " + table + " EXCEPT ALL SELECT * FROM "
                    + "expected) d", "SELECT count(*) FROM (SELECT * FROM expected EXCEPT ALL SELECT * FROM " + table
                    + ") d")) {
                try (ResultSet result = statement.executeQuery(query)) {
                    result.next();
                    assertThat(result.getLong(1)).as(query).isZero();
                }
            }
            try (ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
                result.next();
                assertThat(result.getLong(1)).isEqualTo(rows.size());
            }
        }
    }
}
