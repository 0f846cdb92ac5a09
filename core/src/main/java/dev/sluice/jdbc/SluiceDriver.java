package dev.sluice.jdbc;

import dev.sluice.Access;
import dev.sluice.Sluice;
import dev.sluice.SluiceException;
import dev.sluice.serve.ServerAddress;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The {@code jdbc:sluice:<project folder>} driver: read-only SQL over a project's published models and its catalog
 * (schema {@code sluice}), and {@code CALL sluice_run(...)} to run it. When a {@code sluice serve} process holds the
 * project's warehouse, a connection sends its statements there (Flight SQL) instead of opening the file. Registered with {@link DriverManager} through
 * {@code META-INF/services/java.sql.Driver}. Stateless and thread-safe.
 */
public final class SluiceDriver implements Driver {
    static {
        try {
            DriverManager.registerDriver(new SluiceDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Used by {@link java.util.ServiceLoader}; the class registers one instance itself when loaded. */
    public SluiceDriver() {
        // stateless
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        DriverUrl parsed = DriverUrl.parse(url, info);
        try {
            Sluice sluice = Sluice.open(parsed.folder());
            // A server holding the warehouse answers instead: opening the file would collide with its runs.
            Optional<ServerAddress> server = ServerAddress.of(parsed.folder());
            Backend backend = server.isPresent()
                    ? RemoteBackend.connect(server.get(), parsed.option("user"), parsed.option("password"))
                    : new LocalBackend(sluice, parsed.unmasked() ? Access.UNMASKED : Access.MASKED);
            return ConnectionTarget.of(parsed, sluice, backend);
        } catch (SluiceException e) {
            SQLException failure = Failures.of(e);
            throw new SQLException("Cannot connect to " + parsed + ": " + e.getMessage(), "08001",
                    failure.getErrorCode(), e);
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return DriverUrl.accepts(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        DriverPropertyInfo user = new DriverPropertyInfo("user", info == null ? null : info.getProperty("user"));
        user.description = "User of the sluice serve process holding the warehouse, when it asks for one";
        DriverPropertyInfo password = new DriverPropertyInfo("password", null);
        password.description = "That user's password";
        return new DriverPropertyInfo[] {user, password};
    }

    @Override
    public int getMajorVersion() {
        return Integer.parseInt(Sluice.VERSION.split("\\.")[0]);
    }

    @Override
    public int getMinorVersion() {
        return Integer.parseInt(Sluice.VERSION.split("\\.")[1]);
    }

    /** False: the driver only reads, and supports the SQL of its engine rather than all of SQL-92 entry level. */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("Cannot give a parent logger: the Sluice driver logs nothing");
    }
}
