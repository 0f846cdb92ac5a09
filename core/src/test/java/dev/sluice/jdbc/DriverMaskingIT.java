package dev.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.ProjectFixture;
import dev.sluice.RunOptions;
import dev.sluice.project.Mask;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Masked columns leave through the driver masked, unless the URL asks for them in clear with {@code unmask=true}. */
class DriverMaskingIT {
    @TempDir
    static Path dir;
    static String url;

    @BeforeAll
    static void build() {
        ProjectFixture project = ProjectFixture.example("masked", dir);
        assertThat(project.open().run(RunOptions.defaults()).succeeded()).isTrue();
        url = "jdbc:sluice:" + project.root();
    }

    private static String email(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT email FROM customer_orders WHERE order_id = 10")) {
            assertThat(result.next()).isTrue();
            return result.getString(1);
        }
    }

    @Test
    void aMaskedColumnIsHashedUnlessTheUrlAsksForItInClear() throws SQLException {
        assertThat(email(url)).isEqualTo(Mask.HASH.apply("ann@example.com"));
        assertThat(email(url + "?unmask=false")).isEqualTo(Mask.HASH.apply("ann@example.com"));
        assertThat(email(url + "?unmask=true")).isEqualTo("ann@example.com");
    }

    @Test
    void anUnmaskValueOtherThanTrueOrFalseIsRefused() {
        SQLException refused = catchThrowableOfType(SQLException.class, () -> email(url + "?unmask=yes"));
        assertThat(refused.getMessage()).contains("unmask=yes is neither true nor false; write unmask=true");
    }
}
