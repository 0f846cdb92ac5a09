package dev.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's driver example ("The JDBC driver"), as written, on a copy of the retail example. */
class DriverReadmeIT {
    @TempDir
    Path dir;

    @Test
    void theReadmeExampleRunsAndReads() throws SQLException {
        ProjectFixture retail = ProjectFixture.example("retail", dir);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        String url = "jdbc:sluice:" + retail.root();
        // From here as in the README (System.out as out, the folder as url).
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            try (ResultSet runs = statement.executeQuery("CALL sluice_run('', 'min_order_amount=10')")) {
                while (runs.next()) {
                    out.println(runs.getString("model") + " " + runs.getString("status") + " " + runs.getLong("rows"));
                }
            }
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT order_date, revenue FROM marts.daily_revenue WHERE order_date >= ? ORDER BY 1")) {
                query.setDate(1, java.sql.Date.valueOf("2024-01-01"));
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        out.println(rows.getDate(1) + " " + rows.getBigDecimal(2));
                    }
                }
            }
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("stg_orders success").contains("daily_revenue success");
        assertThat(text).containsPattern("(?m)^2024-\\d\\d-\\d\\d \\d+");
    }
}
