package dev.sluice.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.SluiceException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkParserTest {
    private static final String SECRET = "pg-S3cret'pw";

    @TempDir
    Path dir;

    private Project read(String model, Map<String, String> environment) {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\n", "models/marts/orders_mart.sql", model);
        return ProjectReader.read(dir, Map.of(), environment);
    }

    private List<String> problems(String model, Map<String, String> environment) {
        SluiceException e = ProjectFixture.failure(() -> read(model, environment));
        assertThat(e.getMessage()).doesNotContain(SECRET);
        return e.problems();
    }

    @Test
    void readsAJdbcSinkWithItsPasswordFromTheEnvironmentAsASecret() {
        Project project = read("""
                /*---
                materialized: incremental
                incremental: { strategy: merge, unique_key: [order_id] }
                sink:
                  type: jdbc
                  url: jdbc:postgresql://db.example.com:6543/shop
                  user: loader
                  password: ${env:PG_PASSWORD}
                  table: analytics.orders
                  retries: 1
                  timeout: 5 seconds
                ---*/
                SELECT 1 AS order_id
                """, Map.of("PG_PASSWORD", SECRET));

        SinkSpec sink = project.models().get(0).sink();
        assertThat(sink.mode()).isEqualTo(SinkSpec.Mode.MERGE);
        assertThat(sink.key()).containsExactly("order_id");
        assertThat(sink.settings().type()).isEqualTo("jdbc");
        assertThat(sink.settings().target()).isEqualTo("postgres://db.example.com:6543/shop.analytics.orders");
        assertThat(sink.settings().toString()).doesNotContain(SECRET);
        assertThat(sink.location().toString()).isEqualTo("models/marts/orders_mart.sql:5:3");
        assertThat(project.secrets()).contains(new Secret("PG_PASSWORD", SECRET));
        assertThat(project.redact("password " + SECRET)).isEqualTo("password ${env:PG_PASSWORD}");
        assertThat(project.models().get(0).sql()).doesNotContain(SECRET);
    }

    @Test
    void replacesATableWithoutAUniqueKeyAndDefaultsToThePublicSchema() {
        SinkSpec sink = read("""
                /*---
                sink: { type: jdbc, url: "jdbc:postgresql://localhost/shop", table: orders }
                ---*/
                SELECT 1 AS order_id
                """, Map.of()).models().get(0).sink();

        assertThat(sink.mode()).isEqualTo(SinkSpec.Mode.REPLACE);
        assertThat(sink.key()).isEmpty();
        assertThat(sink.settings().target()).isEqualTo("postgres://localhost:5432/shop.public.orders");
    }

    @Test
    void refusesAClearTextPasswordWhereItIsWritten() {
        assertThat(problems("""
                /*---
                sink:
                  type: jdbc
                  url: "jdbc:postgresql://localhost/shop?password=%s"
                  password: %s
                  table: analytics.orders
                ---*/
                SELECT 1 AS order_id
                """.formatted("hunter2", "hunter2"), Map.of())).containsExactly(
                "models/marts/orders_mart.sql:5:13: Cannot read model orders_mart sink password: a password written "
                        + "in the model file would be in version control and in every copy of the project; write "
                        + "password: ${env:NAME} and set the environment variable NAME where sluice runs",
                "models/marts/orders_mart.sql:4:8: Cannot read model orders_mart sink url: it holds a password in "
                        + "clear text; remove it from the url and write password: ${env:NAME}");
    }

    @Test
    void reportsEveryMistakeOfASinkAtItsLine() {
        assertThat(problems("""
                /*---
                materialized: table
                sink:
                  type: jdbc
                  url: "jdbc:mysql://localhost/shop"
                  table: analytics.orders.extra
                  mode: merge
                  retries: many
                  colour: blue
                ---*/
                SELECT 1 AS order_id
                """, Map.of())).containsExactly(
                "models/marts/orders_mart.sql:7:9: Cannot read model orders_mart sink: mode merge needs the columns "
                        + "identifying a row; set key: [column, ...] or use mode: replace",
                "models/marts/orders_mart.sql:9:3: Cannot read model orders_mart sink: unknown key 'colour'; valid keys "
                        + "are type, mode, key, url, user, password, table, retries, timeout, backoff",
                "models/marts/orders_mart.sql:8:12: Cannot read model orders_mart sink retries: expected an integer, "
                        + "found a string",
                "models/marts/orders_mart.sql:5:8: Cannot read model orders_mart sink url: 'jdbc:mysql://localhost/shop' "
                        + "is not a PostgreSQL JDBC url with a database; sinks write to PostgreSQL: write "
                        + "jdbc:postgresql://host:port/database",
                "models/marts/orders_mart.sql:6:10: Cannot read model orders_mart sink table: 'analytics.orders.extra' "
                        + "is not schema.name (each part letters, digits and _, not starting with a digit); write the "
                        + "target table as analytics.orders");
    }

    @Test
    void reportsAMissingOrUnknownTypeAndMissingSettings() {
        assertThat(problems("""
                /*---
                sink: { type: jbdc }
                ---*/
                SELECT 1 AS order_id
                """, Map.of())).containsExactly("models/marts/orders_mart.sql:2:15: Cannot read model orders_mart "
                + "sink: unknown type 'jbdc'; valid types are jdbc; did you mean 'jdbc'?");
        assertThat(problems("""
                /*---
                materialized: ephemeral
                sink: { url: "jdbc:postgresql://localhost/shop" }
                ---*/
                SELECT 1 AS order_id
                """, Map.of())).containsExactly(
                "models/marts/orders_mart.sql:3:7: Cannot read model orders_mart sink: an ephemeral model is inlined "
                        + "into the models reading it and publishes nothing to write; materialize it as a table or "
                        + "remove the sink",
                "models/marts/orders_mart.sql:3:7: Cannot read model orders_mart sink: type is missing; set type: to "
                        + "one of jdbc");
        assertThat(problems("""
                /*---
                sink: { type: jdbc, password: "${env:PG_PASSWORD}" }
                ---*/
                SELECT 1 AS order_id
                """, Map.of())).containsExactly(
                "models/marts/orders_mart.sql:2:31: Cannot resolve ${env:PG_PASSWORD}: environment variable "
                        + "PG_PASSWORD is not set; set it before running sluice",
                "models/marts/orders_mart.sql:2:7: Cannot read model orders_mart sink: url is missing; set url: to "
                        + "the database's JDBC url, such as jdbc:postgresql://localhost:5432/shop",
                "models/marts/orders_mart.sql:2:7: Cannot read model orders_mart sink: table is missing; set table: to "
                        + "the target table, schema.name");
    }

    @Test
    void refusesTwoModelsWritingOneTable() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\n", "models/a.sql", """
                /*---
                sink: { type: jdbc, url: "jdbc:postgresql://localhost/shop", table: analytics.orders }
                ---*/
                SELECT 1 AS order_id
                """, "models/b.sql", """
                /*---
                sink: { type: jdbc, url: "jdbc:postgresql://localhost:5432/shop", table: Analytics.Orders }
                ---*/
                SELECT 1 AS order_id
                """);

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage())
                .isEqualTo("models/b.sql:2:7: Cannot read model b sink: its table "
                        + "postgres://localhost:5432/shop.Analytics.Orders is the sink of model a (models/a.sql) too; "
                        + "each would overwrite the other's rows: give one of them another table");
    }
}
