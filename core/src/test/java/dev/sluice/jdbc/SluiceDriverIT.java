package dev.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.ProjectFixture;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code jdbc:sluice:} driver as an embedding application uses it: DriverManager, statements, prepared
 * statements and result sets over a built project, and a HikariCP pool. One project for the class.
 */
class SluiceDriverIT {
    @TempDir
    static Path dir;
    static ProjectFixture project;
    static String url;

    @BeforeAll
    static void build() {
        project = DriverProjects.shop(dir.resolve("shop"));
        assertThat(project.run().succeeded()).isTrue();
        url = "jdbc:sluice:" + project.root();
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
    void driverManagerFindsTheDriverAndQueriesReturnTypedRows() throws SQLException {
        assertThat(DriverManager.getDriver(url)).isInstanceOf(SluiceDriver.class);
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT order_id, amount, order_day, customer "
                        + "FROM stg_orders ORDER BY order_id")) {
            ResultSetMetaData meta = result.getMetaData();
            assertThat(meta.getColumnCount()).isEqualTo(4);
            assertThat(meta.getColumnName(1)).isEqualTo("order_id");
            assertThat(meta.getColumnType(1)).isEqualTo(Types.BIGINT);
            assertThat(meta.getColumnType(2)).isEqualTo(Types.DECIMAL);
            assertThat(meta.getScale(2)).isEqualTo(2);
            assertThat(meta.getColumnType(3)).isEqualTo(Types.DATE);
            assertThat(meta.getColumnClassName(3)).isEqualTo("java.sql.Date");
            assertThat(meta.getColumnType(4)).isEqualTo(Types.VARCHAR);

            assertThat(result.next()).isTrue();
            assertThat(result.getLong("order_id")).isEqualTo(1L);
            assertThat(result.getBigDecimal("amount")).isEqualByComparingTo("10.50");
            assertThat(result.getDate("order_day")).isEqualTo(java.sql.Date.valueOf("2024-01-01"));
            assertThat(result.getObject("order_day", LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 1));
            assertThat(result.getString("customer")).isEqualTo("ann");
            assertThat(result.getRow()).isEqualTo(1);
            assertThat(rows(result)).containsExactly(
                    List.of(3L, new BigDecimal("20.00"), java.sql.Date.valueOf("2024-01-02"), "bob"));
            assertThat(result.next()).isFalse();
        }
    }

    @Test
    void nullsReadAsJdbcSaysAndWasNullTellsThem() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT CAST(NULL AS INTEGER) AS n, NULL AS t")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getInt("n")).isZero();
            assertThat(result.wasNull()).isTrue();
            assertThat(result.getString(2)).isNull();
            assertThat(result.wasNull()).isTrue();
        }
    }

    @Test
    void preparedStatementsBindTheirParameters() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement statement = connection.prepareStatement("SELECT order_id FROM stg_orders "
                        + "WHERE order_day >= ? AND customer = ? ORDER BY order_id")) {
            statement.setDate(1, java.sql.Date.valueOf("2024-01-01"));
            statement.setString(2, "bob");
            try (ResultSet result = statement.executeQuery()) {
                assertThat(rows(result)).containsExactly(List.of(3L));
            }
            statement.setString(2, "ann");
            try (ResultSet result = statement.executeQuery()) {
                assertThat(rows(result)).containsExactly(List.of(1L));
            }
        }
    }

    @Test
    void theCatalogIsReadableAsSchemaSluice() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            assertThat(statement.execute("SELECT model, status FROM sluice.model_runs WHERE model = 'main.revenue'"))
                    .isTrue();
            assertThat(rows(statement.getResultSet())).contains(List.of("main.revenue", "success"));
            assertThat(statement.getUpdateCount()).isEqualTo(-1);
        }
    }

    @Test
    void writesAreRefusedWithAClearError() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            SQLException update = catchThrowableOfType(SQLException.class,
                    () -> statement.executeUpdate("DELETE FROM stg_orders"));
            assertThat(update.getMessage()).contains("Cannot update through the Sluice driver: it is read-only")
                    .contains("CALL sluice_run(");
            SQLException drop = catchThrowableOfType(SQLException.class,
                    () -> statement.executeQuery("DROP TABLE revenue"));
            assertThat(drop.getMessage()).startsWith("Cannot run query");
            assertThat(drop.getSQLState()).isEqualTo("42000");
        }
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM revenue")) {
            assertThat(rows(result)).containsExactly(List.of(1L));
        }
    }

    @Test
    void unsupportedCallsSaySo() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url)) {
            SQLFeatureNotSupportedException savepoint = catchThrowableOfType(SQLFeatureNotSupportedException.class,
                    connection::setSavepoint);
            assertThat(savepoint.getMessage()).startsWith("Cannot call Connection.setSavepoint(): the Sluice driver "
                    + "does not support it");
            SQLException scrollable = catchThrowableOfType(SQLException.class, () -> connection.createStatement(
                    ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY));
            assertThat(scrollable.getMessage()).contains("forward-only and read-only");
            assertThat(connection.isReadOnly()).isTrue();
            assertThat(connection.isWrapperFor(Connection.class)).isTrue();
        }
    }

    @Test
    void badUrlsAreRefusedNamingTheFix() {
        SQLException noFolder = catchThrowableOfType(SQLException.class,
                () -> DriverManager.getConnection("jdbc:sluice:"));
        assertThat(noFolder.getMessage()).contains("names no project folder; use jdbc:sluice:<project folder>");
        SQLException option = catchThrowableOfType(SQLException.class,
                () -> DriverManager.getConnection(url + "?colour=blue&password=hunter2"));
        assertThat(option.getMessage()).contains("unknown option 'colour'; the options are password, unmask, user")
                .doesNotContain("hunter2");
        SQLException missing = catchThrowableOfType(SQLException.class,
                () -> DriverManager.getConnection("jdbc:sluice:" + dir.resolve("nowhere")));
        assertThat(missing.getMessage()).startsWith("Cannot connect to jdbc:sluice:" + dir.resolve("nowhere"));
        assertThat(missing.getSQLState()).isEqualTo("08001");
    }

    @Test
    void aHikariPoolServesConcurrentQueries() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(3);
        config.setPoolName("sluice-test");
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            List<Callable<Long>> queries = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                queries.add(() -> {
                    try (Connection connection = pool.getConnection();
                            PreparedStatement statement = connection.prepareStatement(
                                    "SELECT count(*) FROM stg_orders WHERE amount >= ?")) {
                        statement.setBigDecimal(1, new BigDecimal("5"));
                        try (ResultSet result = statement.executeQuery()) {
                            result.next();
                            return result.getLong(1);
                        }
                    }
                });
            }
            for (Future<Long> answer : threads.invokeAll(queries)) {
                assertThat(answer.get()).isEqualTo(2L);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void connectionsAndStatementsTakeTheSettingsToolsGive() throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        connection.setAutoCommit(false);
        assertThat(connection.getAutoCommit()).isFalse();
        connection.commit();
        connection.rollback();
        connection.setReadOnly(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        assertThat(connection.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        connection.setCatalog("any");
        assertThat(connection.getCatalog()).isNull();
        connection.setSchema("main");
        assertThat(connection.getSchema()).isEqualTo("main");
        assertThat(catchThrowableOfType(SQLException.class, () -> connection.setSchema("marts")).getMessage())
                .contains("qualify the table instead");
        assertThat((Object) connection.getWarnings()).isNull();
        connection.clearWarnings();
        assertThat(connection.nativeSQL("SELECT 1")).isEqualTo("SELECT 1");
        assertThat(connection.getHoldability()).isEqualTo(ResultSet.CLOSE_CURSORS_AT_COMMIT);
        assertThat(connection.getClientInfo()).isEmpty();
        assertThat(connection.getClientInfo("x")).isNull();
        assertThat(connection.getTypeMap()).isEmpty();
        assertThat(connection.isValid(1)).isTrue();
        assertThat(catchThrowableOfType(SQLException.class, () -> connection.isValid(-1)).getMessage())
                .contains("use 0 or more");
        assertThat(connection.toString()).isEqualTo("SluiceConnection[" + url + "]");

        Statement statement = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY,
                ResultSet.CLOSE_CURSORS_AT_COMMIT);
        statement.setMaxRows(1);
        statement.setFetchSize(10);
        statement.setQueryTimeout(5);
        statement.setEscapeProcessing(true);
        statement.setPoolable(true);
        statement.setFetchDirection(ResultSet.FETCH_FORWARD);
        statement.clearWarnings();
        assertThat(List.of(statement.getMaxRows(), statement.getFetchSize(), statement.getQueryTimeout(),
                statement.getResultSetType(), statement.getResultSetConcurrency(), statement.getResultSetHoldability(),
                statement.getFetchDirection())).containsExactly(1, 10, 5, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY, ResultSet.CLOSE_CURSORS_AT_COMMIT, ResultSet.FETCH_FORWARD);
        assertThat(statement.isPoolable()).isFalse();
        assertThat((Object) statement.getWarnings()).isNull();
        assertThat(statement.getConnection()).isSameAs(connection);
        assertThat(catchThrowableOfType(SQLException.class, () -> statement.setMaxRows(-1)).getMessage())
                .contains("use 0 (no limit) or more");
        assertThat(catchThrowableOfType(SQLException.class, () -> statement.setFetchDirection(
                ResultSet.FETCH_REVERSE)).getMessage()).contains("forward-only");
        try (ResultSet result = statement.executeQuery("SELECT order_id FROM stg_orders ORDER BY 1")) {
            assertThat(result.getStatement()).isSameAs(statement);
            assertThat(result.getType()).isEqualTo(ResultSet.TYPE_FORWARD_ONLY);
            assertThat(result.getConcurrency()).isEqualTo(ResultSet.CONCUR_READ_ONLY);
            result.setFetchSize(5);
            assertThat(result.getFetchSize()).isEqualTo(5);
            assertThat(rows(result)).hasSize(1);
        }
        assertThat(statement.getMoreResults()).isFalse();
        assertThat(statement.getLargeUpdateCount()).isEqualTo(-1);
        assertThat(catchThrowableOfType(SQLException.class, () -> statement.addBatch("SELECT 1")).getMessage())
                .contains("read-only");

        PreparedStatement prepared = connection.prepareStatement("SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?",
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        prepared.setBoolean(1, true);
        prepared.setByte(2, (byte) 2);
        prepared.setShort(3, (short) 3);
        prepared.setInt(4, 4);
        prepared.setLong(5, 5L);
        prepared.setFloat(6, 6f);
        prepared.setDouble(7, 7d);
        prepared.setTimestamp(8, java.sql.Timestamp.valueOf("2024-01-01 10:00:00"));
        prepared.setNull(9, Types.VARCHAR);
        prepared.setObject(10, "ten", Types.VARCHAR);
        assertThat(prepared.execute()).isTrue();
        assertThat(rows(prepared.getResultSet())).singleElement().asList().containsExactly(true, (byte) 2, (short) 3,
                4, 5L, 6f, 7d, java.sql.Timestamp.valueOf("2024-01-01 10:00:00"), null, "ten");
        assertThat(prepared.getMetaData()).isNull();
        prepared.clearParameters();
        assertThat(catchThrowableOfType(SQLException.class, () -> prepared.setObject(0, 1)).getMessage())
                .contains("numbered from 1");
        assertThat(catchThrowableOfType(SQLException.class, () -> prepared.executeQuery("SELECT 1")).getMessage())
                .contains("call executeQuery() without text");
        assertThat(catchThrowableOfType(SQLException.class, prepared::executeUpdate).getMessage())
                .contains("read-only");
        connection.close();
        assertThat(statement.isClosed()).isTrue();
        assertThat(prepared.isClosed()).isTrue();
        assertThat(catchThrowableOfType(SQLException.class, connection::createStatement).getMessage())
                .isEqualTo("Cannot use the connection to " + url + ": it is closed");
        assertThat(catchThrowableOfType(SQLException.class, () -> statement.executeQuery("SELECT 1")).getMessage())
                .isEqualTo("Cannot use the statement: it is closed");
    }
}
