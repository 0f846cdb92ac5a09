package dev.sluice.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.project.Mask;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A served warehouse with a masked column read over Flight SQL as a BI tool would: a user without the unmask
 * permission sees the mask (statements, prepared statements, the CLI sent to the server), one with it the values.
 */
class ServerMaskingIT {
    private static final String HASH = (String) Mask.HASH.apply("ann@example.com");

    @TempDir
    static Path dir;
    static ProjectFixture project;
    static SluiceServer server;

    @BeforeAll
    static void startServer() {
        project = ProjectFixture.example("masked", dir);
        assertThat(project.run().succeeded()).isTrue();
        project.write("users.yml", "users:\n  carol: { password_hash: \"" + PasswordHash.hash("carol-secret-1")
                + "\", permissions: [read, unmask] }\n  dave: { password_hash: \"" + PasswordHash.hash("dave-secret-2")
                + "\", permissions: [read] }\n");
        server = SluiceServer.start(project.root(), ServeOptions.loopback().withUsers(project.root()
                .resolve("users.yml")), dev.sluice.cli.Main::run, notice -> {
                });
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static Connection connect(String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("useEncryption", "false");
        return DriverManager.getConnection("jdbc:arrow-flight-sql://" + server.address(), properties);
    }

    private static String firstEmail(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT email FROM email_revenue ORDER BY orders DESC, "
                        + "email LIMIT 1")) {
            assertThat(result.next()).isTrue();
            return result.getString(1);
        }
    }

    @Test
    void aUserWithoutUnmaskSeesTheMaskAndOneWithItTheValue() throws SQLException {
        try (Connection dave = connect("dave", "dave-secret-2")) {
            assertThat(firstEmail(dave)).isEqualTo(HASH);
            try (PreparedStatement prepared = dave.prepareStatement("SELECT c.email FROM customer_orders c "
                    + "WHERE c.order_id = ?")) {
                prepared.setLong(1, 10);
                try (ResultSet result = prepared.executeQuery()) {
                    assertThat(result.next()).isTrue();
                    assertThat(result.getString(1)).isEqualTo(HASH);
                }
            }
        }
        try (Connection carol = connect("carol", "carol-secret-1")) {
            assertThat(firstEmail(carol)).isEqualTo("ann@example.com");
        }
    }

    @Test
    void theCliSentToTheServerUnmasksOnlyForAUserWithUnmask() {
        String root = project.root().toString();
        String sql = "SELECT email FROM email_revenue ORDER BY orders DESC, email LIMIT 1";
        Map<String, String> dave = Map.of("SLUICE_USER", "dave", "SLUICE_PASSWORD", "dave-secret-2");
        Map<String, String> carol = Map.of("SLUICE_USER", "carol", "SLUICE_PASSWORD", "carol-secret-1");
        assertThat(cli(dave, "query", root, sql)).startsWith("0\n").contains(HASH).doesNotContain("ann@");
        assertThat(cli(dave, "query", root, sql, "--unmask")).startsWith("2\n")
                .contains("user 'dave' lacks the unmask permission; add unmask to its permissions in the server's "
                        + "users file").doesNotContain("ann@");
        assertThat(cli(carol, "query", root, sql, "--unmask")).startsWith("0\n").contains("ann@example.com");
    }

    private static String cli(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ServerClient.cli(server.address(), List.of(args), environment, new PrintWriter(out),
                new PrintWriter(err));
        return code + "\n" + out + err;
    }
}
