package dev.sluice.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for the whole test JVM (zonky's embedded binaries, started on first use in about 2.5 s and
 * stopped when the JVM exits): database sources, sinks and the shared catalog are tested against the real server,
 * each test class in a database of its own ({@link #newDatabase}) so that classes never see each other's tables.
 */
public final class PostgresServer {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private PostgresServer() {
    }

    /** The running server, started on the first call. */
    public static synchronized EmbeddedPostgres shared() {
        if (server == null) {
            try {
                Path work = Files.createTempDirectory("sluice-postgres");
                server = EmbeddedPostgres.builder()
                        .setOverrideWorkingDirectory(work.toFile())
                        .setDataDirectory(work.resolve("data"))
                        .setCleanDataDirectory(true)
                        .start();
                EmbeddedPostgres started = server;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException e) {
                        // the JVM is exiting; the data directory is temporary
                    }
                }));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the embedded PostgreSQL for tests", e);
            }
        }
        return server;
    }

    /** Creates a new, empty database named after {@code prefix} and returns its name. */
    public static String newDatabase(String prefix) {
        String name = (prefix + "_" + DATABASES.incrementAndGet()).toLowerCase(java.util.Locale.ROOT);
        try (Connection connection = shared().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name, e);
        }
        return name;
    }

    /** The JDBC URL of {@code database} on the shared server. */
    public static String url(String database) {
        return "jdbc:postgresql://localhost:" + shared().getPort() + "/" + database;
    }

    /** The superuser the embedded server runs with (no password on loopback). */
    public static String user() {
        return "postgres";
    }

    /** A connection to {@code database} as {@link #user}. */
    public static Connection connect(String database) throws SQLException {
        return java.sql.DriverManager.getConnection(url(database), user(), "");
    }
}
