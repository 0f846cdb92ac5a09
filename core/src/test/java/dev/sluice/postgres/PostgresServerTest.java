package dev.sluice.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresServerTest {
    @Test
    void eachDatabaseIsItsOwnOnOneRealServer() throws Exception {
        String first = PostgresServer.newDatabase("fixture");
        String second = PostgresServer.newDatabase("fixture");
        try (Connection a = PostgresServer.connect(first); Statement statement = a.createStatement()) {
            statement.execute("CREATE TABLE t (id int)");
            statement.execute("INSERT INTO t VALUES (1), (2)");
        }
        try (Connection b = PostgresServer.connect(second); Statement statement = b.createStatement();
                ResultSet tables = statement.executeQuery(
                        "SELECT count(*) FROM information_schema.tables WHERE table_name = 't'")) {
            tables.next();
            assertThat(tables.getInt(1)).isZero();
        }
        try (Connection a = PostgresServer.connect(first); Statement statement = a.createStatement();
                ResultSet version = statement.executeQuery("SELECT current_setting('server_version_num')::int")) {
            version.next();
            assertThat(version.getInt(1)).isGreaterThanOrEqualTo(170000);
        }
    }
}
