package dev.sluice.connect.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.project.Source;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.function.UnaryOperator;

/**
 * The database of one {@code type: jdbc} source during one load (or one description): a HikariCP pool of read-only
 * connections, each with auto-commit off so that drivers stream results by the fetch size (PostgreSQL's reads a
 * whole result into memory otherwise). Connecting is retried with the source's {@code retries}; the last failure
 * names the source and the server, never the credentials. Closed after the load: nothing stays open between runs.
 */
final class JdbcDatabase implements AutoCloseable {
    /** What the database's sessions are named on the server: tests find the reading connection by it. */
    static final String APPLICATION = "sluice";

    private final Source source;
    private final JdbcSpec spec;
    private final HikariDataSource pool;
    private final UnaryOperator<String> redact;

    private JdbcDatabase(Source source, JdbcSpec spec, HikariDataSource pool, UnaryOperator<String> redact) {
        this.source = source;
        this.spec = spec;
        this.pool = pool;
        this.redact = redact;
    }

    /** Opens the pool (connecting lazily, on the first {@link #connect}); {@code connections} at most. */
    static JdbcDatabase open(Source source, int connections, UnaryOperator<String> redact) {
        JdbcSpec spec = (JdbcSpec) source.spec();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(spec.url());
        if (spec.user() != null) {
            config.setUsername(spec.user());
        }
        if (spec.password() != null && !spec.password().isEmpty()) {
            config.setPassword(spec.password());
        }
        if (spec.driver() != null) {
            config.setDriverClassName(spec.driver());
        }
        config.setPoolName("sluice-" + source.qualifiedName());
        config.setMaximumPoolSize(Math.max(1, connections));
        config.setMinimumIdle(0);
        config.setReadOnly(true);
        config.setAutoCommit(false);
        // Connect on first use, so that connecting is retried by the source's settings, not at pool creation.
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(Math.max(250, spec.retries().timeout().toMillis()));
        if (postgres(spec)) {
            config.addDataSourceProperty("ApplicationName", APPLICATION);
            config.addDataSourceProperty("connectTimeout", Math.max(1, spec.retries().timeout().toSeconds()));
        }
        try {
            return new JdbcDatabase(source, spec, new HikariDataSource(config), redact);
        } catch (RuntimeException e) {
            // A driver class that is not on the class path, a URL no driver accepts.
            throw new SluiceException(ErrorCode.SOURCE_INVALID, "%s", redact.apply(String.format(
                    "cannot open %s: %s; put the database's JDBC driver on the class path or fix url: and driver: in "
                            + "sluice.yml", server(spec), rootMessage(e))));
        }
    }

    /** True for PostgreSQL, whose SQL the reads use (conversions, md5 row hashes, watermark push-down). */
    static boolean postgres(JdbcSpec spec) {
        return spec.url().startsWith("jdbc:postgresql:");
    }

    boolean postgres() {
        return postgres(spec);
    }

    /**
     * A connection (read-only, auto-commit off), retried while the server cannot be reached; then a failure naming
     * the server, the attempts and the cause.
     */
    Connection connect() {
        try {
            return spec.retries().call(source.qualifiedName(), JdbcDatabase::unreachable, pool::getConnection);
        } catch (Exception e) {
            String cause = rootMessage(e);
            throw new SluiceException(unreachable(e) ? ErrorCode.RUN_FAILED : ErrorCode.SOURCE_INVALID, "%s",
                    redact.apply(String.format("cannot connect to %s%s: %s; check that the server runs and accepts "
                            + "connections, and url:, user: and password: in sluice.yml", server(spec),
                            unreachable(e) ? " after " + (spec.retries().retries() + 1) + " attempts" : "", cause)));
        }
    }

    /**
     * {@code count} connections, all taken before any is used, so that parallel reads each have their own for the
     * whole read (none is left open when one cannot be had).
     */
    java.util.List<Connection> connect(int count) {
        java.util.List<Connection> connections = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                connections.add(connect());
            }
        } catch (RuntimeException e) {
            for (Connection connection : connections) {
                try {
                    connection.close();
                } catch (SQLException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
        return connections;
    }

    /** Where the source is, for messages: the server's host and port, never the URL's credentials or options. */
    static String server(JdbcSpec spec) {
        URI uri = uri(spec.url());
        if (uri == null || uri.getHost() == null) {
            String scheme = spec.url().split(":", 3).length > 1 ? spec.url().split(":", 3)[1] : "jdbc";
            return "the " + scheme + " database";
        }
        return uri.getScheme() + " server " + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /** The URL without {@code jdbc:}, as a URI, or null when it is not one. */
    static URI uri(String url) {
        try {
            return new URI(url.substring("jdbc:".length()));
        } catch (java.net.URISyntaxException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    /** Connection failures and timeouts are retried; bad credentials, missing tables and bad SQL are not. */
    static boolean unreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && state.startsWith("28")) {
                    return false; // invalid authorization
                }
                if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                    return true; // connection exception; the server shutting down, ending the session or starting
                }
            }
            if (cause instanceof java.net.ConnectException || cause instanceof java.net.SocketTimeoutException
                    || cause instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return failure instanceof SQLTransientConnectionException
                && !(failure.getCause() instanceof SQLNonTransientConnectionException);
    }

    /** The innermost message: Hikari's own ("request timed out") says less than the driver's cause. */
    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            // The driver's SQLException says what failed; the socket error under it only how.
            if (cause instanceof SQLException || root == failure && cause.getCause() == null) {
                root = cause;
            }
        }
        if (root instanceof java.io.EOFException && root.getMessage() == null) {
            // A server ended while sending (a COPY blocked on a full socket) cannot send its reason first.
            return "the server closed the connection (end of stream)";
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    @Override
    public void close() {
        pool.close();
    }
}
