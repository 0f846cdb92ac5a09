package dev.sluice.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.RunResult;
import dev.sluice.postgres.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sink is data leaving Sluice: a masked column reaches its PostgreSQL target masked, full writes and merges alike. */
class MaskedSinkIT {
    @TempDir
    Path dir;

    @Test
    void aMaskedColumnIsWrittenMaskedToTheTarget() throws Exception {
        String database = PostgresServer.newDatabase("masked_sink");
        ProjectFixture project = ProjectFixture.copy("sink_orders", dir);
        project.replace("models/orders_mart.sql", "PG_URL", PostgresServer.url(database));
        project.replace("models/orders_latest.sql", "PG_URL", PostgresServer.url(database));
        project.replace("sluice.yml", "    change_detection: manifest\n",
                "    change_detection: manifest\n    mask: { customer: partial }\n");

        RunResult run = project.run();

        assertThat(run.succeeded()).as("%s", run.models()).isTrue();
        // upper(customer) is computed from the masked column: masked too; the merge key stays clear
        assertThat(rows(database, "analytics.orders_mart")).startsWith("1|***|10.50", "2|***|20.00");
        assertThat(rows(database, "analytics.orders_latest")).startsWith("1|***|10.50", "2|***|20.00");
        assertThat(String.join("\n", rows(database, "analytics.orders_mart"))).doesNotContain("ADA", "BOB", "QUOTED");
        assertThat(String.join("\n", rows(database, "analytics.orders_latest"))).doesNotContain("ada", "bob", "quoted")
                .contains("\ttab");
    }

    private static List<String> rows(String database, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT order_id, customer, amount FROM " + table
                        + " ORDER BY order_id")) {
            while (result.next()) {
                rows.add(result.getString(1) + "|" + result.getString(2) + "|" + result.getString(3));
            }
        }
        return rows;
    }
}
