package dev.sluice.connect.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.connect.Retries;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectsWithEnvironment;
import dev.sluice.project.SourceSpec;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading {@code type: jdbc} settings, the SQL sent to the source, and the dataset names, without a server. */
class JdbcConfigTest {
    @TempDir
    Path dir;

    private ProjectFixture project(String settings) {
        ProjectFixture project = ProjectFixture.at(dir);
        project.write("sluice.yml", "name: p\nsources:\n  raw.orders:\n    type: jdbc\n" + settings.indent(4));
        return project;
    }

    @Test
    void readsEverySetting() {
        ProjectFixture project = project("""
                url: jdbc:postgresql://db.example.com:5433/shop?sslmode=require
                user: reader
                password: ${env:SHOP_PASSWORD}
                table: sales.orders
                detection: watermark
                watermark: updated_at
                overlap: 2 hours
                key: [id]
                partitions: 4
                partition_column: id
                fetch_size: 5000
                driver: org.postgresql.Driver
                retries: 5
                timeout: 10 seconds
                backoff: 200 ms
                """);
        Project read = ProjectsWithEnvironment.read(project.root(), Map.of("SHOP_PASSWORD", "s3cret"));
        JdbcSpec spec = (JdbcSpec) read.sources().get(0).spec();
        assertThat(spec).isEqualTo(new JdbcSpec("jdbc:postgresql://db.example.com:5433/shop?sslmode=require",
                "reader", "s3cret", "sales.orders", null, SourceSpec.TableDetection.WATERMARK, "updated_at",
                "2 hours", List.of("id"), 4, "id", 5000, "org.postgresql.Driver",
                new Retries(5, Duration.ofSeconds(10), Duration.ofMillis(200))));
        assertThat(spec.toString()).doesNotContain("s3cret");
        assertThat(new JdbcConnector().tracked(spec)).isTrue();
        assertThat(JdbcLineage.dataset(spec).toString()).isEqualTo("postgres://db.example.com:5433/shop.sales.orders");
        assertThat(JdbcLineage.namespace(JdbcLineage.dataset(spec))).isEqualTo("postgres://db.example.com:5433");
        assertThat(JdbcLineage.name(JdbcLineage.dataset(spec))).isEqualTo("shop.sales.orders");
        assertThat(JdbcDatabase.server(spec)).isEqualTo("postgresql server db.example.com:5433");
    }

    @Test
    void defaultsToAWholeReadOfOneStream() {
        ProjectFixture project = project("url: jdbc:postgresql://localhost/shop\nquery: SELECT 1 AS one;\n");
        JdbcSpec spec = (JdbcSpec) ProjectsWithEnvironment.read(project.root(), Map.of()).sources().get(0).spec();
        assertThat(spec.detection()).isEqualTo(SourceSpec.TableDetection.FULL);
        assertThat(spec.partitions()).isEqualTo(1);
        assertThat(spec.fetchSize()).isEqualTo(JdbcSpec.DEFAULT_FETCH_SIZE);
        assertThat(spec.retries()).isEqualTo(Retries.DEFAULT);
        assertThat(JdbcLineage.dataset(spec).toString()).isEqualTo("postgres://localhost:5432/shop");
        assertThat(JdbcQuery.of(spec, "\"").select("*")).isEqualTo("SELECT * FROM (SELECT 1 AS one) AS sluice_source");
    }

    @Test
    void refusesAClearTextPasswordWithoutEchoingIt() {
        ProjectFixture project = project("url: jdbc:postgresql://localhost/shop\npassword: hunter2\ntable: orders\n");
        String message = ProjectFixture.failure(project::open).problems().toString();
        assertThat(message).contains("sluice.yml:6:15: Cannot read source raw.orders: password is written in clear "
                + "text; write password: ${env:NAME} and set the environment variable NAME").doesNotContain("hunter2");
    }

    @Test
    void refusesIncompleteOrContradictorySettings() {
        ProjectFixture project = project("""
                url: postgres://localhost/shop
                table: orders
                query: SELECT 1
                partitions: 4
                detection: row_hash
                overlap: 5
                driver: not a class
                """);
        assertThat(ProjectFixture.failure(project::open).problems()).anySatisfy(problem -> assertThat(problem)
                .contains("url: a JDBC URL such as jdbc:postgresql://host:5432/database"))
                .anySatisfy(problem -> assertThat(problem).contains("reads either table: (schema.table) or query: "
                        + "(a SELECT), not both"))
                .anySatisfy(problem -> assertThat(problem).contains("partitions: 4 needs partition_column:"))
                .anySatisfy(problem -> assertThat(problem).contains("detection: row_hash needs key:"))
                .anySatisfy(problem -> assertThat(problem).contains("overlap applies only with a watermark"))
                .anySatisfy(problem -> assertThat(problem).contains("driver 'not a class' is not a Java class name"));
        project("url: jdbc:postgresql://localhost/shop\ntable: \"x; drop\"\ndetection: watermark\npartitions: 65\n");
        assertThat(ProjectFixture.failure(() -> ProjectFixture.at(dir).open()).problems())
                .anySatisfy(problem -> assertThat(problem).contains("table 'x; drop' is not schema.table"))
                .anySatisfy(problem -> assertThat(problem).contains("detection: watermark needs watermark:"))
                .anySatisfy(problem -> assertThat(problem).contains("partitions 65 is more connections"));
    }

    @Test
    void splitsPartitionsIntoRangesThatTogetherReadEveryRowOnce() {
        JdbcQuery query = new JdbcQuery("\"t\"", "\"", List.of(), List.of());
        List<JdbcQuery> whole = query.partitions("id", BigDecimal.ONE, BigDecimal.valueOf(10), 4);
        assertThat(whole).extracting(JdbcQuery::conditions).containsExactly(
                List.of("(sluice_source.\"id\" >= ? AND sluice_source.\"id\" < ? OR sluice_source.\"id\" IS NULL)"),
                List.of("sluice_source.\"id\" >= ? AND sluice_source.\"id\" < ?"),
                List.of("sluice_source.\"id\" >= ? AND sluice_source.\"id\" < ?"),
                List.of("sluice_source.\"id\" >= ?"));
        assertThat(whole).extracting(JdbcQuery::parameters).containsExactly(List.of(1L, 4L), List.of(4L, 7L),
                List.of(7L, 10L), List.of(10L));
        assertThat(query.partitions("x", new BigDecimal("0.5"), new BigDecimal("1.5"), 2).get(1).parameters())
                .containsExactly(new BigDecimal("1.0000000000"));
        assertThat(query.partitions("id", null, null, 4)).containsExactly(query);
        assertThat(query.aboveWatermark("n", "int4", "10", "5").select("*")).isEqualTo("SELECT * FROM \"t\" AS "
                + "sluice_source WHERE sluice_source.\"n\" > CAST(? AS int4) - ?");
        assertThat(query.aboveWatermark("n", "timestamp", "2026-01-01", "1 hour").parameters())
                .containsExactly("2026-01-01", "1 hour");
        assertThat(query.aboveWatermark("n", "timestamp", "2026-01-01", null).conditions())
                .containsExactly("sluice_source.\"n\" > CAST(? AS timestamp)");
    }

    @Test
    void mapsOtherDatabasesByTheirJdbcTypes() {
        assertThat(List.of(java.sql.Types.BIT, java.sql.Types.TINYINT, java.sql.Types.INTEGER, java.sql.Types.BIGINT,
                java.sql.Types.REAL, java.sql.Types.DOUBLE, java.sql.Types.DECIMAL, java.sql.Types.DATE,
                java.sql.Types.TIMESTAMP, java.sql.Types.CLOB).stream()
                .map(type -> JdbcTypes.generic("c", "c", type, 50, 4).type()).toList()).containsExactly("BOOLEAN",
                "SMALLINT", "INTEGER", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL(38,4)", "DATE", "TIMESTAMP", "VARCHAR");
        assertThat(JdbcTypes.decimal(0, 0)).isEqualTo("DECIMAL(38,9)");
        assertThat(JdbcTypes.postgres("c", "c", "interval", 0, 0).select()).isEqualTo("CAST(c AS text)");
    }
}
