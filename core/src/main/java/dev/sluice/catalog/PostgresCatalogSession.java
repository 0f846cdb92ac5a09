package dev.sluice.catalog;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Appender;
import dev.sluice.engine.Cursor;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.JdbcSession;
import dev.sluice.engine.Rows;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** A session on one pooled connection of the PostgreSQL catalog; the stores' statements are translated as they run. */
final class PostgresCatalogSession extends JdbcSession {
    private final PostgresCatalogEngine engine;

    PostgresCatalogSession(PostgresCatalogEngine engine, Connection connection) {
        super(connection);
        this.engine = engine;
    }

    /** The catalog this session writes to. */
    PostgresCatalogEngine engine() {
        return engine;
    }

    @Override
    public Dialect dialect() {
        return engine.dialect();
    }

    /** The statement as PostgreSQL runs it (see {@link PostgresSql#translate}). */
    @Override
    protected String translate(String sql) {
        return PostgresSql.translate(sql, engine.schema(), table -> engine.key(connection, table));
    }

    /** Runs a migration's text (several statements) as PostgreSQL takes it. */
    void migrate(String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(PostgresSql.migration(sql, engine.schema()));
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public Cursor stream(String sql, Object... parameters) {
        // the catalog's results are small: read whole, handed out row by row
        Rows result = query(sql, parameters);
        java.util.Iterator<List<Object>> rows = result.values().iterator();
        return new Cursor() {
            @Override
            public List<String> columns() {
                return result.columns();
            }

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public List<Object> next() {
                return rows.next();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public Appender appender(String schema, String table) {
        throw new UnsupportedOperationException(getClass().getName() + " loads no rows in bulk into " + schema + "."
                + table);
    }

    @Override
    protected Object plain(Object value) throws SQLException {
        return plainValue(value);
    }

    /** JDBC values as the DuckDB stores read them: timestamps as LocalDateTime, arrays as lists, whole numerics as longs. */
    static Object plainValue(Object value) throws SQLException {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toLocalDateTime();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate();
        }
        if (value instanceof BigDecimal decimal) {
            // sum() of BIGINT is NUMERIC in PostgreSQL (HUGEINT in DuckDB): both whole numbers
            return decimal.scale() <= 0 || decimal.stripTrailingZeros().scale() <= 0 ? (Object) decimal.longValueExact()
                    : (Object) decimal.doubleValue();
        }
        if (value instanceof java.sql.Array array) {
            Object[] items = (Object[]) array.getArray();
            List<Object> list = new ArrayList<>(items.length);
            for (Object item : items) {
                list.add(plainValue(item));
            }
            return list;
        }
        return value;
    }

    @Override
    public void commit() {
        try {
            connection.commit();
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            autoCommit();
        }
    }

    @Override
    public void rollback() {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            autoCommit();
        }
    }

    private void autoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            // the connection is broken: the pool drops it when it is closed
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    protected SluiceException failure(SQLException e) {
        return error(e);
    }

    /** PostgreSQL's error as Sluice reports it. */
    static SluiceException error(SQLException e) {
        return new SluiceException(ErrorCode.RUN_FAILED, e, "%s", String.valueOf(e.getMessage()).strip());
    }
}
