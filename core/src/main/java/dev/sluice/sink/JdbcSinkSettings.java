package dev.sluice.sink;

import static java.util.Objects.requireNonNull;

import dev.sluice.connect.Retries;
import dev.sluice.project.SinkSettings;

/**
 * A {@code type: jdbc} sink's settings: a PostgreSQL database and the table written there. Printing it never shows
 * the password (or the url, which may hold one).
 *
 * @param url the JDBC url as written, {@code ${env:NAME}} resolved
 * @param user the user to connect as, or null for the driver's default
 * @param password the password (from the environment), or null
 * @param host the server's host, from the url
 * @param port the server's port, from the url (5432 when absent)
 * @param database the database, from the url
 * @param schema the target table's schema ({@code public} when the table is not qualified)
 * @param table the target table's name
 * @param retries how connecting and writing are retried when the server cannot be reached
 */
record JdbcSinkSettings(String url, String user, String password, String host, int port, String database,
        String schema, String table, Retries retries) implements SinkSettings {
    static final String TYPE = "jdbc";

    JdbcSinkSettings {
        requireNonNull(url, "url");
        requireNonNull(host, "host");
        requireNonNull(database, "database");
        requireNonNull(schema, "schema");
        requireNonNull(table, "table");
        requireNonNull(retries, "retries");
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The OpenLineage namespace of the server: {@code postgres://host:port}. */
    String namespace() {
        return "postgres://" + host + ":" + port;
    }

    /** The OpenLineage dataset name of the table: {@code database.schema.table}. */
    String datasetName() {
        return database + "." + schema + "." + table;
    }

    @Override
    public String target() {
        return namespace() + "/" + datasetName();
    }

    @Override
    public String toString() {
        return "jdbc sink " + target() + (user == null ? "" : " as " + user);
    }
}
