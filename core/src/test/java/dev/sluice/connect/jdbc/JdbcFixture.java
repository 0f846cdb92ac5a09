package dev.sluice.connect.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.QueryResult;
import dev.sluice.Sluice;
import dev.sluice.postgres.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A PostgreSQL database of a test class, and projects reading it through {@code type: jdbc} sources. */
final class JdbcFixture {
    final String database;

    JdbcFixture(String prefix) {
        database = PostgresServer.newDatabase(prefix);
    }

    /** Runs statements on the source database. */
    void execute(String... statements) {
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A project with one jdbc source {@code raw.<name>} (the settings under it as YAML lines) and a model over it. */
    ProjectFixture project(Path dir, String name, String settings) {
        ProjectFixture project = ProjectFixture.at(dir.resolve(name));
        project.write("sluice.yml", "name: " + name + "\nwarehouse: target/w.duckdb\nsources:\n  raw." + name
                + ":\n    type: jdbc\n    url: " + PostgresServer.url(database) + "\n    user: postgres\n"
                + settings.stripTrailing().indent(4));
        project.write("models/" + name + "_count.sql", "SELECT count(*) AS n FROM raw." + name + "\n");
        return project;
    }

    /** The source's rows as text, by a query in PostgreSQL's SQL. */
    List<List<String>> sourceRows(String sql) {
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    row.add(result.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The warehouse's rows as text ({@code null} stays null). */
    static List<List<String>> warehouseRows(Sluice sluice, String sql) {
        QueryResult result = sluice.query(sql);
        return result.rows().stream().map(row -> row.stream().map(v -> v == null ? null : v.toString()).toList())
                .toList();
    }

    /**
     * Asserts that the warehouse query and the source query give the same multiset of rows: the warehouse's rows
     * are copied into a temporary table of PostgreSQL as text and compared with {@code EXCEPT ALL} both ways.
     */
    void assertSameRows(Sluice sluice, String warehouseSql, String sourceSql) {
        List<List<String>> loaded = warehouseRows(sluice, warehouseSql);
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement()) {
            int width = sourceRows(sourceSql + " LIMIT 0").isEmpty() ? columnCount(connection, sourceSql) : 0;
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= width; i++) {
                columns.add("c" + i + " text");
            }
            statement.execute("CREATE TEMP TABLE loaded (" + String.join(", ", columns) + ")");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO loaded VALUES ("
                    + String.join(", ", java.util.Collections.nCopies(width, "?")) + ")")) {
                for (List<String> row : loaded) {
                    for (int i = 0; i < width; i++) {
                        insert.setString(i + 1, row.get(i));
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            String source = "SELECT * FROM (" + sourceSql + ") AS s";
            assertThat(count(statement, source + " EXCEPT ALL SELECT * FROM loaded")).as("source rows not loaded")
                    .isZero();
            assertThat(count(statement, "SELECT * FROM loaded EXCEPT ALL " + source)).as("loaded rows not in source")
                    .isZero();
            assertThat(loaded).isNotEmpty();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int columnCount(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            return statement.getMetaData().getColumnCount();
        }
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM (" + sql + ") AS x")) {
            result.next();
            return result.getLong(1);
        }
    }
}
