package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.postgres.PostgresServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sql/examples/connectors} run as its README says: the launcher, in a process of its own with the servers'
 * addresses and credentials in its environment, against real PostgreSQL, HTTP and Kafka servers; twice, with new
 * and changed orders and new clicks in between. The warehouse, the PostgreSQL sink and the Iceberg table must hold
 * exactly what the sources hold.
 */
class ConnectorsExampleIT {
    private static ConnectorServers servers;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServers() {
        servers = ConnectorServers.start();
    }

    @AfterAll
    static void stopServers() {
        servers.stop();
    }

    @Test
    void ordersCustomersAndClicksReachTheWarehouseTheSinkAndTheIcebergTableExactly() throws Exception {
        Path project = ProjectFixture.copyFolder(ProjectFixture.REPOSITORY.resolve("sql/examples/connectors"), dir.resolve("connectors"));

        assertThat(launch(project, "run")).as("first run").isZero();
        checkEverythingMatchesTheSources(project, 500, 1_000);

        servers.addOrders(100);
        servers.addClicks(500);
        assertThat(launch(project, "run")).as("second run").isZero();
        checkEverythingMatchesTheSources(project, 600, 1_500);
    }

    private void checkEverythingMatchesTheSources(Path project, int orders, int clicks) throws SQLException {
        List<List<Object>> shopOrders = postgres("SELECT order_id, customer_id, status, amount FROM orders");
        try (Connection warehouse = warehouse(project)) {
            assertThat(rows(warehouse, "SELECT order_id, customer_id, status, amount FROM staging.stg_orders"))
                    .hasSize(orders).containsExactlyInAnyOrderElementsOf(shopOrders);
            assertThat(rows(warehouse, "SELECT order_id, customer_id, status, amount FROM marts.orders_lake"))
                    .as("the Iceberg table's current snapshot").containsExactlyInAnyOrderElementsOf(shopOrders);
            assertThat(rows(warehouse, "SELECT count(*), count(DISTINCT click_id), max(click_id) FROM "
                    + "staging.stg_clicks")).as("every click exactly once")
                    .containsExactly(List.of((long) clicks, (long) clicks, (long) clicks));
            List<List<Object>> mart = rows(warehouse, "SELECT customer_id, name, country, orders, revenue, clicks "
                    + "FROM marts.customer_revenue");
            assertThat(mart).hasSize(ConnectorServers.CUSTOMERS);
            assertThat(postgres("SELECT customer_id, name, country, orders, revenue, clicks "
                    + "FROM analytics.customer_revenue")).as("the sink holds the mart")
                    .containsExactlyInAnyOrderElementsOf(mart);
            assertThat(rows(warehouse, "SELECT sum(revenue) FROM marts.customer_revenue")).containsExactly(
                    postgres("SELECT sum(amount) FROM orders WHERE status <> 'cancelled'").get(0));
        }
        assertThat(Files.exists(project.resolve("target/lake/marts/orders_lake/metadata/version-hint.text")))
                .as("an Iceberg table other engines can open by path").isTrue();
    }

    /** The launcher in a JVM of its own, with the servers' variables in its environment, as a user runs it. */
    private int launch(Path project, String... args) throws IOException, InterruptedException {
        Path console = dir.resolve("console.txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")), "-cp",
                System.getProperty("java.class.path"), "dev.sluice.cli.Main"));
        command.addAll(List.of(args));
        command.add(project.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(console.toFile()));
        builder.environment().putAll(servers.environment());
        Process process = builder.start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("the launcher finished").isTrue();
        if (process.exitValue() != 0) {
            System.err.println(Files.readString(console));
        }
        assertThat(Files.readString(console)).doesNotContain(ConnectorServers.TOKEN);
        return process.exitValue();
    }

    private static Connection warehouse(Path project) throws SQLException {
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        return DriverManager.getConnection("jdbc:duckdb:" + project.resolve("target/connectors.duckdb"), readOnly);
    }

    private static List<List<Object>> postgres(String sql) throws SQLException {
        try (Connection connection = PostgresServer.connect(servers.database())) {
            return rows(connection, sql);
        }
    }

    /** Rows as lists of comparable values: integers as longs, decimals stripped of trailing zeros. */
    private static List<List<Object>> rows(Connection connection, String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = result.getObject(i);
                    row.add(value instanceof Integer || value instanceof Short || value instanceof Long
                            ? ((Number) value).longValue()
                            : value instanceof BigDecimal decimal ? decimal.stripTrailingZeros()
                            : value instanceof java.math.BigInteger big ? big.longValue() : value);
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
