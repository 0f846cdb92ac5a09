package dev.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.ProjectFixture;
import dev.sluice.serve.ServerAddress;
import dev.sluice.serve.SluiceServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver when {@code sluice serve} holds the warehouse: a server in its own process (its DuckDB holds the file,
 * so every answer here can only come from it), found through the lock file; queries, prepared statements, metadata
 * and CALL sluice_run go to it over Flight SQL with the connection's credentials. One server for the class.
 */
class ServedDriverIT {
    @TempDir
    static Path dir;
    static ProjectFixture project;
    static Process server;
    static String url;

    @BeforeAll
    static void startServer() throws Exception {
        project = DriverProjects.shop(dir.resolve("shop"));
        assertThat(project.run().succeeded()).isTrue();
        project.write("users.yml", "users:\n  alice: { password_hash: \"" + SluiceServer.hashPassword("alice-pw-1")
                + "\", permissions: [read, run] }\n  bob: { password_hash: \"" + SluiceServer.hashPassword("bob-pw-2")
                + "\", permissions: [read] }\n");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path"), "dev.sluice.cli.Main", "serve",
                project.root().toString(), "--port", "0", "--users", project.root().resolve("users.yml").toString())
                .redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                // the server ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        List<String> seen = new ArrayList<>();
        for (String line = lines.poll(120, TimeUnit.SECONDS); line == null || !line.startsWith("Serving ");
                line = lines.poll(120, TimeUnit.SECONDS)) {
            assertThat(line).as("sluice serve printed %s", seen).isNotNull();
            seen.add(line);
        }
        url = "jdbc:sluice:" + project.root();
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    static Connection connect(String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection(url, properties);
    }

    @Test
    void queriesAndPreparedStatementsGoToTheServer() throws SQLException {
        assertThat(ServerAddress.of(project.root())).isPresent();
        try (Connection connection = connect("bob", "bob-pw-2");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT order_id, amount, order_day, customer "
                        + "FROM stg_orders ORDER BY order_id")) {
            assertThat(result.getMetaData().getColumnType(1)).isEqualTo(Types.BIGINT);
            assertThat(result.getMetaData().getColumnTypeName(2)).isEqualTo("DECIMAL(10,2)");
            assertThat(result.getMetaData().getColumnType(3)).isEqualTo(Types.DATE);
            assertThat(SluiceDriverIT.rows(result)).containsExactly(
                    List.of(1L, new java.math.BigDecimal("10.50"), java.sql.Date.valueOf("2024-01-01"), "ann"),
                    List.of(3L, new java.math.BigDecimal("20.00"), java.sql.Date.valueOf("2024-01-02"), "bob"));
        }
        try (Connection connection = DriverManager.getConnection(url + "?user=bob&password=bob-pw-2");
                PreparedStatement statement = connection.prepareStatement("SELECT order_id FROM stg_orders "
                        + "WHERE customer = ? AND order_day >= ? /* ? */ ORDER BY order_id")) {
            statement.setString(1, "bob");
            statement.setDate(2, java.sql.Date.valueOf("2024-01-01"));
            try (ResultSet result = statement.executeQuery()) {
                assertThat(SluiceDriverIT.rows(result)).containsExactly(List.of(3L));
            }
            statement.setString(1, "x' OR '1'='1");
            try (ResultSet result = statement.executeQuery()) {
                assertThat(result.next()).isFalse();
            }
        }
    }

    @Test
    void credentialsAreCheckedByTheServer() {
        SQLInvalidAuthorizationSpecException none = catchThrowableOfType(SQLInvalidAuthorizationSpecException.class,
                () -> {
                    try (Connection connection = DriverManager.getConnection(url);
                            Statement statement = connection.createStatement()) {
                        statement.executeQuery("SELECT 1");
                    }
                });
        assertThat(none.getMessage()).startsWith("Cannot run the query on the sluice serve process at ")
                .contains("give the user and password of the server's users file");
        SQLException wrong = catchThrowableOfType(SQLException.class, () -> connect("bob", "wrong"));
        assertThat(wrong.getMessage()).startsWith("Cannot connect to the sluice serve process at ");
    }

    @Test
    void metadataListsWhatTheServerHolds() throws SQLException {
        try (Connection connection = connect("bob", "bob-pw-2")) {
            try (ResultSet tables = connection.getMetaData().getTables(null, "main", "stg%", null)) {
                assertThat(tables.next()).isTrue();
                assertThat(tables.getString("TABLE_TYPE")).isEqualTo("VIEW");
                assertThat(tables.getString("REMARKS")).isEqualTo("Orders above the minimum amount.");
            }
            try (ResultSet columns = connection.getMetaData().getColumns(null, "main", "stg_orders", "customer")) {
                assertThat(columns.next()).isTrue();
                assertThat(columns.getString("REMARKS")).isEqualTo("Who ordered [PII]");
            }
        }
    }

    @Test
    void callSluiceRunIsTheServersRunActionAndNeedsTheRunPermission() throws SQLException {
        try (Connection connection = connect("bob", "bob-pw-2"); Statement statement = connection.createStatement()) {
            SQLException denied = catchThrowableOfType(SQLException.class,
                    () -> statement.execute("CALL sluice_run('revenue')"));
            assertThat(denied.getMessage()).contains("user 'bob' lacks the run permission");
            SQLException write = catchThrowableOfType(SQLException.class,
                    () -> statement.executeQuery("DELETE FROM revenue"));
            assertThat(write.getMessage()).contains("Cannot run query");
        }
        try (Connection connection = connect("alice", "alice-pw-1");
                Statement statement = connection.createStatement()) {
            try (ResultSet result = statement.executeQuery("CALL sluice_run('stg_orders+', 'min_amount=1')")) {
                assertThat(SluiceDriverIT.rows(result)).extracting(row -> row.get(1) + ":" + row.get(3))
                        .containsExactlyInAnyOrder("stg_orders:success", "revenue:success", "customers:success");
            }
            try (ResultSet result = statement.executeQuery("SELECT orders FROM revenue")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getLong(1)).isEqualTo(3);
            }
            statement.execute("sluice run --var min_amount=5");
        }
    }
}
