package dev.sluice.connect.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ModelStatus;
import dev.sluice.ProjectFixture;
import dev.sluice.RunListener;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.exec.Pipeline;
import dev.sluice.postgres.PostgresServer;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectsWithEnvironment;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of a {@code type: jdbc} source against the real server: a database that cannot be reached when the run
 * starts, and the reading connection killed half way by {@code pg_terminate_backend}. Neither publishes anything
 * partial, other branches build, and the next run loads exactly the source's rows.
 */
class JdbcFaultsIT {
    private static JdbcFixture postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void createTables() {
        postgres = new JdbcFixture("jdbc_faults");
        postgres.execute("CREATE TABLE orders (id bigint, customer text, amount numeric(12,2), updated_at timestamp)",
                "INSERT INTO orders SELECT i, 'c' || (i % 97), i * 0.5, TIMESTAMP '2026-01-01' + i * INTERVAL '1 second' "
                        + "FROM generate_series(1, 30000) AS i");
    }

    @AfterEach
    void disarm() {
        JdbcReader.afterFirstChunk = () -> { };
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void anUnreachableDatabaseIsRetriedThenFailsItsSourceAndModelsWhileOtherBranchesBuild() throws Exception {
        int port = freePort();
        ProjectFixture project = ProjectFixture.at(dir.resolve("down"));
        String yaml = """
                name: down
                warehouse: target/w.duckdb
                sources:
                  raw.gone:
                    type: jdbc
                    url: %s
                    user: postgres
                    password: ${env:SHOP_PASSWORD}
                    table: orders
                    retries: 2
                    timeout: 1 second
                    backoff: 10 ms
                  raw.orders:
                    type: jdbc
                    url: %s
                    user: postgres
                    table: orders
                """;
        String url = PostgresServer.url(postgres.database);
        project.write("sluice.yml", yaml.formatted(url, url));
        project.write("models/gone_total.sql", "SELECT sum(amount) AS total FROM raw.gone\n");
        project.write("models/orders_total.sql", "SELECT sum(amount) AS total FROM raw.orders\n");
        String secret = "Sw0rdf1sh-7731";
        Map<String, String> environment = Map.of("SHOP_PASSWORD", secret);
        // The embedded server trusts loopback: the password is sent and ignored.
        RunResult first = new Pipeline(ProjectsWithEnvironment.read(project.root(), environment), "test")
                .run(RunOptions.defaults(), "", RunListener.NONE);
        assertThat(first.succeeded()).as(String.valueOf(first)).isTrue();

        // Now the database of raw.gone is down (nothing listens on its port).
        String dead = url.replace(":" + PostgresServer.shared().getPort() + "/", ":" + port + "/");
        project.write("sluice.yml", yaml.formatted(dead, url));
        long start = System.nanoTime();
        RunResult run = new Pipeline(ProjectsWithEnvironment.read(project.root(), environment), "test")
                .run(RunOptions.defaults(), "", RunListener.NONE);
        assertThat(run.sources()).filteredOn(source -> source.source().equals("raw.gone")).singleElement()
                .satisfies(source -> {
                    assertThat(source.loaded()).isFalse();
                    assertThat(source.error()).startsWith("Cannot load source raw.gone (sluice.yml:4:3): cannot "
                            + "connect to postgresql server localhost:" + port + " after 3 attempts: Connection to "
                            + "localhost:" + port + " refused").doesNotContain(secret);
                });
        // Each attempt waited for its timeout at most: retried, not hung.
        assertThat(System.nanoTime() - start).isLessThan(60_000_000_000L);
        assertThat(run.model("orders_total").orElseThrow().status()).isEqualTo(ModelStatus.SUCCESS);
        assertThat(run.model("gone_total").orElseThrow().status()).isNotEqualTo(ModelStatus.SUCCESS);

        // Nothing Sluice wrote holds the password.
        try (Connection warehouse = DriverManager.getConnection("jdbc:duckdb:" + project.root()
                .resolve("target/w.duckdb"), readOnly()); Statement statement = warehouse.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM sluice.source_loads "
                        + "WHERE source = 'raw.gone' AND status = 'failed' AND error LIKE '%localhost:" + port + "%'")) {
            result.next();
            assertThat(result.getLong(1)).isEqualTo(1);
        }
        try (var files = Files.walk(project.root())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as(file.toString()).doesNotContain(secret);
            }
        }

        // A project whose database was never reached cannot be planned: the error says which source and where.
        java.nio.file.Files.delete(JdbcColumnCache.file(project.root(), read(project, environment).sources().stream()
                .filter(source -> source.qualifiedName().equals("raw.gone")).findFirst().orElseThrow()));
        assertThat(ProjectFixture.failure(() -> new Pipeline(read(project, environment), "test")
                .run(RunOptions.defaults(), "", RunListener.NONE)).getMessage()).contains("Cannot read source raw.gone "
                + "(sluice.yml:4:3): cannot connect to postgresql server localhost:" + port + " after 3 attempts")
                .doesNotContain(secret);
    }

    private static Project read(ProjectFixture project, Map<String, String> environment) {
        return ProjectsWithEnvironment.read(project.root(), environment);
    }

    private static java.util.Properties readOnly() {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("duckdb.read_only", "true");
        return properties;
    }

    @Test
    void aConnectionKilledMidReadPublishesNothingAndTheNextRunLoadsExactRows() {
        ProjectFixture project = postgres.project(dir, "orders", """
                table: orders
                watermark: updated_at
                key: id
                fetch_size: 100
                """);
        RunResult first = project.run();
        assertThat(first.succeeded()).as(String.valueOf(first)).isTrue();
        postgres.execute("INSERT INTO orders SELECT i, 'c' || (i % 97), i * 0.5, TIMESTAMP '2026-01-01' "
                + "+ i * INTERVAL '1 second' FROM generate_series(30001, 330000) AS i");

        // Half way through the read, PostgreSQL ends the reading session.
        JdbcReader.afterFirstChunk = () -> {
            postgres.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                    + JdbcDatabase.APPLICATION + "' AND datname = '" + postgres.database
                    + "' AND pid <> pg_backend_pid()");
        };
        RunResult killed = project.run();
        assertThat(killed.sources()).singleElement().satisfies(source -> {
            assertThat(source.loaded()).isFalse();
            assertThat(source.error()).startsWith("Cannot load source raw.orders (sluice.yml:")
                    .contains("lost the connection to postgresql server localhost:" + PostgresServer.shared().getPort()
                            + " after ")
                    // PostgreSQL sends its reason unless it was ended while blocked sending COPY data (the
                    // socket full: the reader was stopped at the fault point), then the connection just closes.
                    .containsAnyOf("terminating connection due to administrator command",
                            "the server closed the connection (end of stream)")
                    .contains("nothing of this read is published");
            // The rows were still on the server when it ended the session: the driver streams by the fetch size
            // (a driver holding the whole result would have finished the read), and the loader held a few batches.
            java.util.regex.Matcher read = java.util.regex.Pattern.compile("after (\\d+) rows were read")
                    .matcher(source.error());
            assertThat(read.find()).isTrue();
            // (300,000 rows: more than the socket buffers hold, so that the kill lands while the server sends.)
            assertThat(Long.parseLong(read.group(1))).isLessThan(300000);
        });
        assertThat(killed.model("orders_count").orElseThrow().status()).isNotEqualTo(ModelStatus.SUCCESS);
        Sluice sluice = project.open();
        // Nothing partial: the source holds the first run's rows, and its high-water mark did not move.
        assertThat(JdbcFixture.warehouseRows(sluice, "SELECT count(*), CAST(max(updated_at) AS VARCHAR) "
                + "FROM raw.orders")).containsExactly(List.of("30000", "2026-01-01 08:20:00"));

        disarm();
        RunResult next = project.run();
        assertThat(next.succeeded()).as(String.valueOf(next)).isTrue();
        assertThat(next.sources().get(0).rows()).isEqualTo(300000);
        postgres.assertSameRows(sluice, "SELECT CAST(id AS VARCHAR), customer, CAST(amount AS VARCHAR), "
                + "strftime(updated_at, '%Y-%m-%d %H:%M:%S') FROM raw.orders", "SELECT id::text, customer, "
                + "amount::text, to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS') FROM orders");
        assertThat(JdbcFixture.warehouseRows(sluice, "SELECT CAST(count(*) AS VARCHAR) FROM main.orders_count")
                .get(0).get(0)).isEqualTo("1");
    }

    @Test
    void aPartitionedWholeReadKilledMidReadLeavesThePreviousTableAndTheNextRunIsExact() {
        postgres.execute("CREATE TABLE whole (id bigint, note text)",
                "INSERT INTO whole SELECT i, 'n' || i FROM generate_series(1, 300000) AS i");
        ProjectFixture project = postgres.project(dir, "whole", """
                table: whole
                fetch_size: 100
                partitions: 4
                partition_column: id
                """);
        RunResult first = project.run();
        assertThat(first.succeeded()).as(String.valueOf(first)).isTrue();
        assertThat(first.sources().get(0).rows()).isEqualTo(300000);
        postgres.execute("INSERT INTO whole VALUES (300001, 'new')");

        // Four COPYs send their rows to the load; every session of the source is ended half way.
        JdbcReader.afterFirstChunk = () -> postgres.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE application_name = '" + JdbcDatabase.APPLICATION + "' AND datname = '" + postgres.database
                + "' AND pid <> pg_backend_pid()");
        RunResult killed = project.run();
        assertThat(killed.sources()).singleElement().satisfies(source -> {
            assertThat(source.loaded()).isFalse();
            assertThat(source.error()).startsWith("Cannot load source raw.whole (sluice.yml:")
                    .contains("lost the connection to postgresql server localhost:" + PostgresServer.shared().getPort()
                            + " after ")
                    .contains("nothing of this read is published");
        });
        Sluice sluice = project.open();
        // The rows the load had staged before the sessions ended were not published: the first run's table stays.
        assertThat(JdbcFixture.warehouseRows(sluice, "SELECT CAST(count(*) AS VARCHAR) FROM raw.whole"))
                .containsExactly(List.of("300000"));
        // Every COPY ended and the pool closed: no session of the source is left on the server.
        assertThat(postgres.sourceRows("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                + JdbcDatabase.APPLICATION + "' AND datname = '" + postgres.database + "'"))
                .containsExactly(List.of("0"));

        disarm();
        RunResult next = project.run();
        assertThat(next.succeeded()).as(String.valueOf(next)).isTrue();
        assertThat(next.sources().get(0).rows()).isEqualTo(300001);
        postgres.assertSameRows(sluice, "SELECT CAST(id AS VARCHAR), note FROM raw.whole",
                "SELECT id::text, note FROM whole");
    }

    @Test
    void aLoadThatFailsOnAValueEndsEveryCopyAndKeepsNoConnection() {
        // A timestamp PostgreSQL holds but the warehouse cannot (its range ends in the year 294247): the load fails
        // on the first partition's rows.
        postgres.execute("CREATE TABLE far (id bigint, at timestamp)",
                "INSERT INTO far SELECT i, TIMESTAMP '2026-01-01' + i * INTERVAL '1 second' "
                        + "FROM generate_series(1, 200000) AS i",
                "UPDATE far SET at = TIMESTAMP '294270-01-01' WHERE id = 1");
        ProjectFixture project = postgres.project(dir, "far", "table: far\npartitions: 4\npartition_column: id\n");
        RunResult run = project.run();
        assertThat(run.sources()).singleElement().satisfies(source -> {
            assertThat(source.loaded()).isFalse();
            assertThat(source.error()).startsWith("Cannot load source raw.far (sluice.yml:").contains("294270");
        });
        // Every copy ended and the pool closed: no session of the source is left on the server.
        assertThat(postgres.sourceRows("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                + JdbcDatabase.APPLICATION + "' AND datname = '" + postgres.database + "'"))
                .containsExactly(List.of("0"));
    }
}
