package dev.sluice.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.ProjectFixture;
import dev.sluice.Sluice;
import dev.sluice.exec.FaultPoints;
import dev.sluice.exec.WarehouseLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice serve} read as a BI tool reads it: the Arrow Flight SQL JDBC driver through DriverManager, and a
 * plain Flight SQL client where the batches themselves matter. One server for the class.
 */
class FlightSqlServerIT {
    @TempDir
    static Path dir;
    static ProjectFixture project;
    static SluiceServer server;

    @BeforeAll
    static void startServer() {
        project = ProjectFixture.at(dir.resolve("shop"));
        project.write("sluice.yml", "name: shop\nvars:\n  min_amount: 5\nsources:\n  raw.orders:\n    type: files\n"
                + "    path: data/orders/*.csv\n    header: true\n");
        project.write("models/stg_orders.sql", "/*---\ndescription: Orders above the minimum amount.\n---*/\n"
                + "SELECT order_id, amount, CAST(order_day AS DATE) AS order_day FROM raw.orders "
                + "WHERE amount >= ${min_amount}\n");
        project.write("models/revenue.sql", "/*---\nmaterialized: table\n---*/\n"
                + "SELECT count(*) AS orders, sum(amount) AS revenue FROM stg_orders\n");
        project.write("data/orders/a.csv", "order_id,amount,order_day\n1,10.5,2024-01-01\n2,3,2024-01-01\n"
                + "3,20,2024-01-02\n");
        assertThat(project.run().succeeded()).isTrue();
        project.write("users.yml", "users:\n  alice: { password_hash: \"" + PasswordHash.hash("alice-secret-1")
                + "\", permissions: [read, run] }\n  bob: { password_hash: \"" + PasswordHash.hash("bob-secret-2")
                + "\", permissions: [read] }\n");
        server = SluiceServer.start(project.root(), ServeOptions.loopback().withUsers(project.root()
                .resolve("users.yml")), dev.sluice.cli.Main::run, notice -> {
                });
    }

    @AfterAll
    static void stopServer() {
        FaultPoints.disarm(FaultPoints.COMMIT);
        if (server != null) {
            server.close();
        }
    }

    static Connection connect(String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("useEncryption", "false");
        return DriverManager.getConnection("jdbc:arrow-flight-sql://" + server.address(), properties);
    }

    static List<List<Object>> rows(ResultSet result) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        int columns = result.getMetaData().getColumnCount();
        while (result.next()) {
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= columns; i++) {
                row.add(result.getObject(i));
            }
            rows.add(row);
        }
        return rows;
    }

    @Test
    void theLockFileNamesTheServerAndServerAddressFindsIt() {
        String holder = WarehouseLock.holder(project.root().resolve("target/shop.duckdb"));
        assertThat(holder).endsWith("; serving Flight SQL on " + server.address());
        assertThat(ServerAddress.parse(holder)).contains(server.address());
        // inside the server's own process commands use the hosted warehouse, never the server again
        assertThat(ServerAddress.of(project.root())).isEmpty();
        assertThat(server.address().host()).isEqualTo("127.0.0.1");
    }

    @Test
    void queriesReturnTypedRows() throws SQLException {
        try (Connection connection = connect("bob", "bob-secret-2"); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT order_id, amount, order_day FROM stg_orders "
                        + "WHERE order_id <= 3 ORDER BY order_id")) {
            assertThat(result.getMetaData().getColumnName(1)).isEqualTo("order_id");
            List<List<Object>> rows = rows(result);
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0).get(0)).isEqualTo(1L);
            assertThat(((Number) rows.get(0).get(1)).doubleValue()).isEqualTo(10.5);
            assertThat(String.valueOf(rows.get(1).get(2))).isEqualTo("2024-01-02");
        }
    }

    @Test
    void preparedStatementsBindParameters() throws SQLException {
        try (Connection connection = connect("bob", "bob-secret-2");
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT order_id FROM stg_orders WHERE amount >= ? AND order_id <= 3 ORDER BY order_id")) {
            statement.setDouble(1, 15.0);
            try (ResultSet result = statement.executeQuery()) {
                assertThat(rows(result)).containsExactly(List.of(3L));
            }
            statement.setDouble(1, 1.0);
            try (ResultSet result = statement.executeQuery()) {
                assertThat(rows(result)).containsExactly(List.of(1L), List.of(3L));
            }
        }
    }

    @Test
    void metadataListsModelsCatalogTablesAndColumns() throws SQLException {
        try (Connection connection = connect("bob", "bob-secret-2")) {
            DatabaseMetaData meta = connection.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet result = meta.getTables(null, "main", "%", null)) {
                while (result.next()) {
                    tables.add(result.getString("TABLE_NAME") + ":" + result.getString("TABLE_TYPE"));
                }
            }
            assertThat(tables).contains("stg_orders:VIEW", "revenue:TABLE");
            List<String> schemas = new ArrayList<>();
            try (ResultSet result = meta.getSchemas()) {
                while (result.next()) {
                    schemas.add(result.getString("TABLE_SCHEM"));
                }
            }
            assertThat(schemas).contains("main", "sluice");
            List<String> columns = new ArrayList<>();
            try (ResultSet result = meta.getColumns(null, "main", "stg_orders", "%")) {
                while (result.next()) {
                    columns.add(result.getString("COLUMN_NAME") + ":" + result.getString("TYPE_NAME"));
                }
            }
            assertThat(columns).containsExactly("order_id:BIGINT", "amount:DOUBLE", "order_day:DATE");
            try (ResultSet result = meta.getCatalogs()) {
                assertThat(rows(result)).hasSize(1);
            }
        }
    }

    /**
     * Flight SQL's type info, as ADBC, the ODBC driver and other Flight SQL clients ask for it. (The Arrow Flight SQL
     * JDBC driver 18.3 answers {@code DatabaseMetaData.getTypeInfo} itself, with no rows, without asking the server.)
     */
    @Test
    void typeInfoListsTheTypesAToolMayWriteInOrderOfTheirCode() throws Exception {
        try (BufferAllocator allocator = new RootAllocator(); FlightClient client = FlightClient.builder(allocator,
                Location.forGrpcInsecure(server.address().host(), server.address().port())).build()) {
            CredentialCallOption credentials = client.authenticateBasicToken("bob", "bob-secret-2").orElseThrow();
            FlightSqlClient sql = new FlightSqlClient(client);
            List<String> types = new ArrayList<>();
            List<Integer> codes = new ArrayList<>();
            FlightInfo info = sql.getXdbcTypeInfo(credentials);
            assertThat(info.getSchemaOptional()).contains(
                    org.apache.arrow.flight.sql.FlightSqlProducer.Schemas.GET_TYPE_INFO_SCHEMA);
            try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket(), credentials)) {
                while (stream.next()) {
                    var root = stream.getRoot();
                    for (int i = 0; i < root.getRowCount(); i++) {
                        String name = String.valueOf(root.getVector("type_name").getObject(i));
                        int code = (Integer) root.getVector("data_type").getObject(i);
                        types.add(name + ":" + code);
                        codes.add(code);
                        assertThat(root.getVector("nullable").getObject(i)).isEqualTo(DatabaseMetaData.typeNullable);
                        if (name.equals("DECIMAL")) {
                            assertThat(root.getVector("column_size").getObject(i)).isEqualTo(38);
                            assertThat(String.valueOf(root.getVector("create_params").getObject(i)))
                                    .isEqualTo("[\"precision\",\"scale\"]");
                        }
                        if (name.equals("VARCHAR")) {
                            assertThat(String.valueOf(root.getVector("literal_prefix").getObject(i))).isEqualTo("'");
                            assertThat(root.getVector("case_sensitive").getObject(i)).isEqualTo(true);
                        }
                    }
                }
            }
            assertThat(types).contains("BIGINT:" + java.sql.Types.BIGINT, "DOUBLE:" + java.sql.Types.DOUBLE,
                    "DATE:" + java.sql.Types.DATE, "VARCHAR:" + java.sql.Types.VARCHAR,
                    "DECIMAL:" + java.sql.Types.DECIMAL, "TIMESTAMP:" + java.sql.Types.TIMESTAMP,
                    "BOOLEAN:" + java.sql.Types.BOOLEAN);
            assertThat(codes).isSorted();

            FlightInfo dates = sql.getXdbcTypeInfo(java.sql.Types.DATE, credentials);
            try (FlightStream stream = sql.getStream(dates.getEndpoints().get(0).getTicket(), credentials)) {
                assertThat(stream.next()).isTrue();
                assertThat(stream.getRoot().getRowCount()).isEqualTo(1);
                assertThat(String.valueOf(stream.getRoot().getVector("type_name").getObject(0))).isEqualTo("DATE");
            }
        }
    }

    @Test
    void anythingButAReadStatementIsRefused() throws SQLException {
        try (Connection connection = connect("alice", "alice-secret-1");
                Statement statement = connection.createStatement()) {
            SQLException refused = catchThrowableOfType(SQLException.class,
                    () -> statement.executeQuery("DROP TABLE revenue"));
            assertThat((Throwable) refused).hasMessageContaining("Cannot run query").hasMessageContaining("DROP");
        }
        assertThat(Sluice.open(project.root()).query("SELECT count(*) FROM revenue").rows()).hasSize(1);
    }

    @Test
    void wrongOrMissingCredentialsAreRefused() {
        SQLException wrong = catchThrowableOfType(SQLException.class, () -> connect("bob", "guess").close());
        assertThat((Throwable) wrong).hasMessageContaining("wrong user name or password");
        SQLException unknown = catchThrowableOfType(SQLException.class, () -> connect("mallory", "x").close());
        assertThat((Throwable) unknown).hasMessageContaining("Cannot authenticate user 'mallory'");
        try (BufferAllocator allocator = new RootAllocator(); FlightClient client = FlightClient.builder(allocator,
                Location.forGrpcInsecure(server.address().host(), server.address().port())).build()) {
            FlightRuntimeException anonymous = catchThrowableOfType(FlightRuntimeException.class,
                    () -> new FlightSqlClient(client).getCatalogs());
            assertThat(anonymous.status().code()).isEqualTo(CallStatus.UNAUTHENTICATED.code());
            assertThat(anonymous).hasMessageContaining("requires a user name and password");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aLargeResultStreamsInManyBatches() throws Exception {
        long rows = 3_000_000;
        try (BufferAllocator allocator = new RootAllocator(); FlightClient client = FlightClient.builder(allocator,
                Location.forGrpcInsecure(server.address().host(), server.address().port())).build()) {
            CredentialCallOption credentials = client.authenticateBasicToken("bob", "bob-secret-2").orElseThrow();
            FlightSqlClient sql = new FlightSqlClient(client);
            FlightInfo info = sql.execute("SELECT range AS id, 'row ' || range AS label FROM range(" + rows + ")",
                    credentials);
            long seen = 0;
            long sum = 0;
            int batches = 0;
            long peak = 0;
            try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket(), credentials)) {
                while (stream.next()) {
                    batches++;
                    org.apache.arrow.vector.BigIntVector ids =
                            (org.apache.arrow.vector.BigIntVector) stream.getRoot().getVector("id");
                    for (int i = 0; i < stream.getRoot().getRowCount(); i++) {
                        sum += ids.get(i);
                    }
                    seen += stream.getRoot().getRowCount();
                    peak = Math.max(peak, allocator.getAllocatedMemory());
                }
            }
            assertThat(seen).isEqualTo(rows);
            assertThat(sum).isEqualTo(rows * (rows - 1) / 2);
            assertThat(batches).isGreaterThanOrEqualTo((int) (rows / ArrowBatches.BATCH_ROWS));
            // The client holds one batch at a time, never the ~60 MB result.
            assertThat(peak).isLessThan(32L * 1024 * 1024);
        }
    }

    @Test
    void readsDoNotWaitForARunningBuildAndRunsNeedThePermission() throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FaultPoints.arm(FaultPoints.COMMIT, (model, session) -> {
            if (model.contains("revenue")) {
                reached.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        project.write("data/orders/b.csv", "order_id,amount,order_day\n4,100,2024-01-03\n");
        try (BufferAllocator allocator = new RootAllocator(); FlightClient client = FlightClient.builder(allocator,
                Location.forGrpcInsecure(server.address().host(), server.address().port())).build()) {
            CredentialCallOption bob = client.authenticateBasicToken("bob", "bob-secret-2").orElseThrow();
            FlightRuntimeException denied = catchThrowableOfType(FlightRuntimeException.class,
                    () -> client.doAction(new Action("run", "{}".getBytes(StandardCharsets.UTF_8)), bob).next());
            assertThat(denied).hasMessageContaining("user 'bob' lacks the run permission");

            CredentialCallOption alice = client.authenticateBasicToken("alice", "alice-secret-1").orElseThrow();
            CompletableFuture<String> run = CompletableFuture.supplyAsync(() -> {
                Iterator<Result> results = client.doAction(new Action("run", "{\"select\": [\"stg_orders+\"]}"
                        .getBytes(StandardCharsets.UTF_8)), alice);
                return new String(results.next().getBody(), StandardCharsets.UTF_8);
            });
            assertThat(reached.await(60, TimeUnit.SECONDS)).isTrue();
            // The build of revenue waits before its commit: readers see what was published, at once.
            try (Connection connection = connect("bob", "bob-secret-2");
                    Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT orders FROM revenue")) {
                assertThat(rows(result)).containsExactly(List.of(2L));
            }
            assertThat(run).isNotDone();
            release.countDown();
            String answer = run.get(60, TimeUnit.SECONDS);
            assertThat(answer).contains("\"succeeded\":true").contains("\"model\":\"revenue\"");
        } finally {
            FaultPoints.disarm(FaultPoints.COMMIT);
            release.countDown();
        }
        try (Connection connection = connect("bob", "bob-secret-2"); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT orders FROM revenue")) {
            assertThat(rows(result)).containsExactly(List.of(3L));
        }
    }

    @Test
    void everyCommonTypeCrossesAsItsArrowType() throws SQLException {
        try (Connection connection = connect("bob", "bob-secret-2"); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT true AS b, CAST(1 AS TINYINT) AS t, "
                        + "CAST(2 AS SMALLINT) AS s, CAST(3 AS INTEGER) AS i, CAST(4 AS BIGINT) AS l, "
                        + "CAST(5 AS HUGEINT) AS h, CAST(1.5 AS FLOAT) AS f, CAST(2.5 AS DOUBLE) AS d, "
                        + "CAST(12.34 AS DECIMAL(10,2)) AS m, DATE '2024-01-02' AS day, "
                        + "TIMESTAMP '2024-01-02 03:04:05.123456' AS ts, TIMESTAMPTZ '2024-01-02 03:04:05+00' AS tz, "
                        + "'x' AS v, [1, 2] AS list, CAST(NULL AS INTEGER) AS nothing, CAST(7 AS UBIGINT) AS u")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getBoolean("b")).isTrue();
            assertThat(result.getByte("t")).isEqualTo((byte) 1);
            assertThat(result.getShort("s")).isEqualTo((short) 2);
            assertThat(result.getInt("i")).isEqualTo(3);
            assertThat(result.getLong("l")).isEqualTo(4L);
            assertThat(result.getBigDecimal("h")).isEqualByComparingTo("5");
            assertThat(result.getFloat("f")).isEqualTo(1.5f);
            assertThat(result.getDouble("d")).isEqualTo(2.5);
            assertThat(result.getBigDecimal("m")).isEqualByComparingTo("12.34");
            assertThat(result.getDate("day").toLocalDate()).isEqualTo(java.time.LocalDate.of(2024, 1, 2));
            assertThat(result.getObject("ts").toString()).startsWith("2024-01-02").contains("03:04:05.123456");
            assertThat(result.getObject("tz")).isNotNull();
            assertThat(result.getString("v")).isEqualTo("x");
            assertThat(result.getString("list")).isEqualTo("[1, 2]");
            assertThat(result.getObject("nothing")).isNull();
            assertThat(result.getBigDecimal("u")).isEqualByComparingTo("7");
            assertThat(result.next()).isFalse();
        }
    }

    @Test
    void anEmptyResultHasItsColumns() throws SQLException {
        try (Connection connection = connect("bob", "bob-secret-2"); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT order_id FROM stg_orders WHERE false")) {
            assertThat(result.getMetaData().getColumnName(1)).isEqualTo("order_id");
            assertThat(result.next()).isFalse();
        }
    }

    /** What the cli action answered: exit code, then standard output and error. */
    private static String cli(java.util.Map<String, String> environment, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = ServerClient.cli(server.address(), List.of(args), environment, new java.io.PrintWriter(out),
                new java.io.PrintWriter(err));
        return code + "\n" + out + err;
    }

    @Test
    void theCliActionRunsReadCommandsForAnyUserAndRunsForRunners() {
        String root = project.root().toString();
        java.util.Map<String, String> bob = java.util.Map.of("SLUICE_USER", "bob", "SLUICE_PASSWORD", "bob-secret-2");
        assertThat(cli(bob, "query", root, "SELECT 40 + 2 AS answer")).startsWith("0\n").contains("42");
        assertThat(cli(bob, "ls", root)).startsWith("0\n").contains("revenue");
        assertThat(cli(bob, "run", root)).startsWith("2\n").contains("user 'bob' lacks the run permission");
        assertThat(cli(bob, "docs", root)).startsWith("2\n").contains("Cannot run 'docs' through the server");
        assertThat(cli(bob, "query", dir.toString(), "SELECT 1")).startsWith("2\n")
                .contains("this server serves " + project.root());
        assertThat(cli(bob, "query")).startsWith("2\n").contains("needs args [command, DIR, ...]");
        assertThat(cli(java.util.Map.of(), "query", root, "SELECT 1")).startsWith("2\n")
                .contains("requires a user name and password").contains("set SLUICE_USER and SLUICE_PASSWORD");
        java.util.Map<String, String> alice = java.util.Map.of("SLUICE_USER", "alice", "SLUICE_PASSWORD",
                "alice-secret-1");
        assertThat(cli(alice, "query", root, "DELETE FROM revenue")).startsWith("2\n").contains("Cannot run query");
    }
}
