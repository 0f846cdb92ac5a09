package dev.sluice.jdbc;

import dev.sluice.Sluice;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;

/** What the driver's {@link DatabaseMetaData} answers (see {@link JdbcProxy}). */
final class MetadataTarget {
    private final ConnectionTarget connection;

    private MetadataTarget(ConnectionTarget connection) {
        this.connection = connection;
    }

    static DatabaseMetaData of(ConnectionTarget connection) {
        return JdbcProxy.of(DatabaseMetaData.class, new MetadataTarget(connection));
    }

    public Connection getConnection() {
        return connection.self();
    }

    public String getURL() {
        return connection.url().toString();
    }

    public String getDatabaseProductName() {
        return "Sluice";
    }

    public String getDatabaseProductVersion() {
        return Sluice.VERSION;
    }

    public String getDriverName() {
        return "Sluice JDBC driver";
    }

    public String getDriverVersion() {
        return Sluice.VERSION;
    }

    public boolean isReadOnly() {
        return true;
    }

    public int getResultSetHoldability() {
        return ResultSet.CLOSE_CURSORS_AT_COMMIT;
    }
}
