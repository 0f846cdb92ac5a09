package dev.sluice.catalog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.project.CatalogSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The catalog's tables in a schema of a PostgreSQL database, behind the {@link Engine} the stores are written
 * against: a small pool of connections, each {@link Session} translating the stores' statements
 * ({@link PostgresSql}). Not an execution engine: it has no dialect for models and loads no rows in bulk.
 * Thread-safe.
 */
final class PostgresCatalogEngine implements Engine {
    private final CatalogSpec spec;
    private final HikariDataSource pool;
    private final String version;
    private final Map<String, PostgresSql.TableKey> keys = new ConcurrentHashMap<>();

    private PostgresCatalogEngine(CatalogSpec spec, HikariDataSource pool, String version) {
        this.spec = spec;
        this.pool = pool;
        this.version = version;
    }

    /** Connects to the catalog database; fails with the fix when it cannot be reached or refuses the user. */
    static PostgresCatalogEngine connect(CatalogSpec spec) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(spec.url());
        config.setUsername(spec.user());
        config.setPassword(spec.password());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        config.setPoolName("sluice-catalog");
        // a first connection is made here, so that an unreachable server is reported on open, not in a store
        config.setInitializationFailTimeout(1);
        config.setConnectionTimeout(10_000);
        try {
            HikariDataSource pool = new HikariDataSource(config);
            try (Connection connection = pool.getConnection()) {
                return new PostgresCatalogEngine(spec, pool, "PostgreSQL " + connection.getMetaData()
                        .getDatabaseProductVersion());
            } catch (SQLException | RuntimeException e) {
                pool.close();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            Throwable cause = e.getCause() instanceof SQLException sql ? sql : e;
            throw new SluiceException(ErrorCode.PROJECT_INVALID, e, "Cannot open the catalog in %s as user %s: %s; "
                    + "check catalog: in sluice.yml (url, user, password: ${env:NAME}) and that the server is "
                    + "reachable", spec, spec.user(), cause.getMessage());
        }
    }

    /** Where the catalog is. */
    CatalogSpec spec() {
        return spec;
    }

    /** The schema holding the catalog's tables. */
    String schema() {
        return spec.schema();
    }

    @Override
    public Session session() {
        try {
            return new PostgresCatalogSession(this, pool.getConnection());
        } catch (SQLException e) {
            throw new SluiceException(ErrorCode.RUN_FAILED, e, "Cannot reach the catalog in %s: %s; check that the "
                    + "server is up and accepts user %s", spec, e.getMessage(), spec.user());
        }
    }

    @Override
    public Dialect dialect() {
        throw new UnsupportedOperationException(getClass().getName() + " holds the catalog and runs no models");
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public List<Column> columns(String schema, String name) {
        List<Column> columns = new ArrayList<>();
        try (Connection connection = pool.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? "
                        + "AND table_name = ? ORDER BY ordinal_position")) {
            statement.setString(1, catalogSchema(schema));
            statement.setString(2, name.toLowerCase(Locale.ROOT));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.add(new Column(rows.getString(1), rows.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw PostgresCatalogSession.error(e);
        }
        return columns;
    }

    @Override
    public RelationKind relationKind(String schema, String name) {
        try (Connection connection = pool.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "SELECT table_type FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            statement.setString(1, catalogSchema(schema));
            statement.setString(2, name.toLowerCase(Locale.ROOT));
            try (ResultSet rows = statement.executeQuery()) {
                return !rows.next() ? RelationKind.NONE
                        : rows.getString(1).equals("VIEW") ? RelationKind.VIEW : RelationKind.TABLE;
            }
        } catch (SQLException e) {
            throw PostgresCatalogSession.error(e);
        }
    }

    /** The stores name schema {@code sluice}: here it is the project's catalog schema. */
    private String catalogSchema(String schema) {
        return schema.equals("sluice") ? spec.schema() : schema;
    }

    /** The primary key and other columns of a catalog table, read once (an upsert names them). */
    PostgresSql.TableKey key(Connection connection, String table) {
        return keys.computeIfAbsent(table, name -> {
            List<String> key = new ArrayList<>();
            List<String> others = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT c.column_name, k.column_name "
                    + "IS NOT NULL FROM information_schema.columns c LEFT JOIN (information_schema.key_column_usage k "
                    + "JOIN information_schema.table_constraints t ON t.constraint_name = k.constraint_name "
                    + "AND t.table_schema = k.table_schema AND t.constraint_type = 'PRIMARY KEY') "
                    + "ON k.table_schema = c.table_schema AND k.table_name = c.table_name "
                    + "AND k.column_name = c.column_name WHERE c.table_schema = ? AND c.table_name = ? "
                    + "ORDER BY c.ordinal_position")) {
                statement.setString(1, spec.schema());
                statement.setString(2, name);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        (rows.getBoolean(2) ? key : others).add(rows.getString(1));
                    }
                }
            } catch (SQLException e) {
                throw PostgresCatalogSession.error(e);
            }
            if (key.isEmpty()) {
                throw new IllegalStateException("catalog table " + name + " has no primary key to upsert on");
            }
            return new PostgresSql.TableKey(key, others);
        });
    }

    @Override
    public void close() {
        pool.close();
    }
}
