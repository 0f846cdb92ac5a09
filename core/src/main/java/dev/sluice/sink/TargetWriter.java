package dev.sluice.sink;

import dev.sluice.engine.Cursor;
import dev.sluice.engine.Sql;
import dev.sluice.project.SinkSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * One write to a PostgreSQL target, in one transaction there: the rows are copied ({@code COPY ... FROM STDIN}) into
 * a staging table, then swapped in (the old table dropped and the staged one renamed: readers see the old table or
 * the new one, never part of one), or, merging, folded into the existing table by key. Until the commit nothing is
 * visible; a failure anywhere rolls the target back to the table it had.
 */
final class TargetWriter {
    /** How many bytes of COPY text are sent at once. */
    private static final int CHUNK = 1 << 20;

    /** What the write did: its kind ({@code full} or {@code increment}) and the rows sent. */
    record Written(String kind, long rows) {
    }

    /** The rows to send: the whole model, or (merging) the increment's; each read from the warehouse on demand. */
    record Rows(List<PostgresTypes.Column> columns, Function<Boolean, Cursor> read, boolean incrementOffered) {
    }

    private final JdbcSinkSettings settings;
    private final SinkSpec spec;
    private final SinkWriter.Hook hook;

    TargetWriter(JdbcSinkSettings settings, SinkSpec spec, SinkWriter.Hook hook) {
        this.settings = settings;
        this.spec = spec;
        this.hook = hook;
    }

    Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (settings.user() != null) {
            properties.setProperty("user", settings.user());
        }
        if (settings.password() != null) {
            properties.setProperty("password", settings.password());
        }
        long seconds = Math.max(1, settings.retries().timeout().toSeconds());
        properties.setProperty("connectTimeout", Long.toString(seconds));
        properties.setProperty("loginTimeout", Long.toString(seconds));
        properties.setProperty("ApplicationName", "sluice sink");
        return DriverManager.getConnection(settings.url(), properties);
    }

    /** Writes {@code rows} in one transaction on the target. */
    Written write(Rows rows) throws SQLException, IOException {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try {
                Written written = write(connection, rows);
                hook.reach(SinkWriter.COMMIT);
                connection.commit();
                return written;
            } catch (SQLException | IOException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException closed) {
                    e.addSuppressed(closed);
                }
                throw e;
            }
        }
    }

    private Written write(Connection connection, Rows rows) throws SQLException, IOException {
        String target = Sql.qualified(settings.schema(), settings.table());
        String staging = Sql.qualified(settings.schema(), settings.table() + "__sluice_staging");
        List<String> existing = columns(connection);
        List<String> wanted = rows.columns().stream().map(c -> c.name() + " " + c.postgresType()).toList();
        boolean sameColumns = existing.equals(wanted);
        boolean merging = spec.mode() == SinkSpec.Mode.MERGE && sameColumns;
        boolean increment = merging && rows.incrementOffered();
        try (Statement statement = connection.createStatement()) {
            if (!schemaExists(connection)) {
                // two models' first writes into one new schema: the second waits for the first's commit, then
                // finds the schema there
                try (PreparedStatement lock = connection.prepareStatement(
                        "SELECT pg_advisory_xact_lock(hashtext(?))")) {
                    lock.setString(1, "sluice sink schema " + settings.schema());
                    lock.execute();
                }
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(settings.schema()));
            }
            statement.execute("CREATE TABLE " + staging + " (" + String.join(", ",
                    rows.columns().stream().map(PostgresTypes.Column::definition).toList()) + ")");
        }
        long sent;
        try (Cursor cursor = rows.read().apply(increment)) {
            sent = copy(connection, staging, rows.columns(), cursor);
        }
        hook.reach(SinkWriter.STAGED);
        String columnList = String.join(", ", rows.columns().stream().map(c -> Sql.identifier(c.name())).toList());
        try (Statement statement = connection.createStatement()) {
            if (increment) {
                // merge by key: every row of the target with a key of the increment is replaced by the increment's
                // rows of that key (an upsert, exact for several rows per key too, as delete_insert makes them)
                statement.execute("DELETE FROM " + target + " AS t WHERE EXISTS (SELECT 1 FROM " + staging
                        + " AS s WHERE " + keysMatch() + ")");
                statement.execute("INSERT INTO " + target + " (" + columnList + ") SELECT " + columnList + " FROM "
                        + staging);
                statement.execute("DROP TABLE " + staging);
            } else if (merging) {
                // a whole sync keeping the table (its grants, indexes, dependent views): its rows are rewritten
                statement.execute("DELETE FROM " + target);
                statement.execute("INSERT INTO " + target + " (" + columnList + ") SELECT " + columnList + " FROM "
                        + staging);
                statement.execute("DROP TABLE " + staging);
            } else {
                // the swap: a new table (of the model's columns, whatever the old one had) takes the old one's name
                statement.execute("DROP TABLE IF EXISTS " + target);
                statement.execute("ALTER TABLE " + staging + " RENAME TO " + Sql.identifier(settings.table()));
                if (spec.mode() == SinkSpec.Mode.MERGE) {
                    statement.execute("CREATE INDEX " + Sql.identifier(settings.table() + "__sluice_key") + " ON "
                            + target + " (" + String.join(", ", spec.key().stream().map(Sql::identifier).toList())
                            + ")");
                }
            }
        }
        return new Written(increment ? "increment" : "full", sent);
    }

    private String keysMatch() {
        return String.join(" AND ", spec.key().stream().map(key -> "t." + Sql.identifier(key)
                + " IS NOT DISTINCT FROM s." + Sql.identifier(key)).toList());
    }

    private boolean schemaExists(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            query.setString(1, settings.schema());
            try (ResultSet result = query.executeQuery()) {
                return result.next();
            }
        }
    }

    /** The target table's columns as {@code name type} (PostgreSQL's printing), in order; empty when it is absent. */
    private List<String> columns(Connection connection) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT a.attname, format_type(a.atttypid, "
                + "a.atttypmod) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON "
                + "n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT "
                + "a.attisdropped ORDER BY a.attnum")) {
            query.setString(1, settings.schema());
            query.setString(2, settings.table());
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    columns.add(result.getString(1) + " " + result.getString(2));
                }
            }
        }
        return columns;
    }

    /** Streams the cursor's rows into {@code staging} through COPY, a chunk at a time; returns the rows sent. */
    private static long copy(Connection connection, String staging, List<PostgresTypes.Column> columns,
            Cursor cursor) throws SQLException, IOException {
        String list = String.join(", ", columns.stream().map(c -> Sql.identifier(c.name())).toList());
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + staging + " (" + list + ") FROM STDIN");
        try {
            StringBuilder text = new StringBuilder(CHUNK + 4096);
            while (cursor.hasNext()) {
                List<Object> row = cursor.next();
                for (int i = 0; i < columns.size(); i++) {
                    if (i > 0) {
                        text.append('\t');
                    }
                    PostgresTypes.append(text, columns.get(i), row.get(i));
                }
                text.append('\n');
                if (text.length() >= CHUNK) {
                    send(copy, text);
                }
            }
            send(copy, text);
            return copy.endCopy();
        } finally {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException lost) {
                    // the connection is gone with the copy: the transaction is lost, and the caller says why
                }
            }
        }
    }

    private static void send(CopyIn copy, StringBuilder text) throws SQLException {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        text.setLength(0);
    }
}
