package dev.sluice.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.ModelStatus;
import dev.sluice.ProjectFixture;
import dev.sluice.RunListener;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.exec.FaultPoints;
import dev.sluice.exec.Pipeline;
import dev.sluice.postgres.PostgresServer;
import dev.sluice.project.ProjectsWithEnvironment;
import dev.sluice.sink.SinkWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model's sink is an output dataset of its OpenLineage events, named by the PostgreSQL naming spec; the sink's
 * password (from the environment) is written nowhere: not in the catalog, the results' errors or the events.
 */
class SinkLineageIT {
    private static final String SECRET = "S3cret'pw-Zq9";

    @TempDir
    Path dir;

    @AfterEach
    void disarm() {
        FaultPoints.disarm(SinkWriter.STAGED);
    }

    @Test
    void theSinkIsAnOutputDatasetAndItsPasswordIsWrittenNowhere() throws Exception {
        String database = PostgresServer.newDatabase("sink_lineage");
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement()) {
            statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sink_writer') THEN "
                    + "CREATE ROLE sink_writer LOGIN PASSWORD 'S3cret''pw-Zq9'; END IF; END $$");
            statement.execute("GRANT CREATE ON DATABASE " + database + " TO sink_writer");
        }
        ProjectFixture project = ProjectFixture.copy("sink_orders", dir);
        project.replace("models/orders_mart.sql", "user: postgres", "user: sink_writer, password: \"${env:SINK_PW}\"");
        project.replace("models/orders_mart.sql", "PG_URL", PostgresServer.url(database));
        // its own schema: the other model's writer (postgres) owns analytics
        project.replace("models/orders_mart.sql", "analytics.orders_mart", "reporting.orders_mart");
        project.replace("models/orders_latest.sql", "PG_URL", PostgresServer.url(database));
        Path events = dir.resolve("events.jsonl");
        Pipeline pipeline = new Pipeline(ProjectsWithEnvironment.read(project.root(), Map.of("SINK_PW", SECRET)), "test");

        RunResult first = pipeline.run(RunOptions.defaults().withOpenLineage(events.toString()), "", RunListener.NONE);
        project.write("data/orders-2.csv", "order_id,customer,amount,ordered_at\n4,dee,40.00,2026-01-04 08:00:00\n");
        FaultPoints.arm(SinkWriter.STAGED, (model, session) -> {
            throw new IllegalStateException("injected while connected with password " + SECRET);
        });
        RunResult failed = pipeline.run(RunOptions.defaults().withOpenLineage(events.toString()), "",
                RunListener.NONE);

        assertThat(first.succeeded()).as("%s", first.models()).isTrue();
        assertThat(failed.model("orders_mart").orElseThrow().status()).isEqualTo(ModelStatus.FAILED);
        assertThat(failed.model("orders_mart").orElseThrow().error()).contains("injected while connected with "
                + "password ${env:SINK_PW}").doesNotContain(SECRET);
        List<JsonNode> sent = OpenLineageTest.events(events);
        OpenLineageSpec spec = OpenLineageSpec.load();
        assertThat(sent).allSatisfy(event -> assertThat(spec.problems(event)).isEmpty());
        // every event of the model's builds (START, COMPLETE, FAIL) names both outputs: the first one sent is read
        JsonNode event = sent.stream().filter(e -> e.path("job").path("name").asText().equals("main.orders_mart"))
                .findFirst().orElseThrow();
        assertThat(event.path("outputs")).hasSize(2);
        assertThat(event.path("outputs").path(0).path("name").asText()).isEqualTo("main.orders_mart");
        JsonNode sink = event.path("outputs").path(1);
        assertThat(sink.path("namespace").asText()).isEqualTo("postgres://localhost:" + PostgresServer.shared()
                .getPort());
        assertThat(sink.path("name").asText()).isEqualTo(database + ".reporting.orders_mart");
        assertThat(sink.path("facets").path("schema").path("fields").findValuesAsText("name"))
                .containsExactly("order_id", "customer", "amount", "ordered_at");
        assertThat(Files.readString(events)).doesNotContain(SECRET).doesNotContain("S3cret");
        // the project cannot be opened without the variable: the warehouse file is read as it is
        try (Connection warehouse = java.sql.DriverManager.getConnection("jdbc:duckdb:" + project.root()
                .resolve("target/sink.duckdb"), readOnly()); Statement statement = warehouse.createStatement()) {
            List<String> tables = new java.util.ArrayList<>();
            try (var result = statement.executeQuery("SELECT table_name FROM information_schema.tables WHERE "
                    + "table_schema = 'sluice'")) {
                while (result.next()) {
                    tables.add(result.getString(1));
                }
            }
            assertThat(tables).contains("sink_writes", "model_runs", "lineage_runs", "runs");
            for (String table : tables) {
                StringBuilder text = new StringBuilder();
                try (var result = statement.executeQuery("SELECT * FROM sluice." + table)) {
                    while (result.next()) {
                        for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                            text.append(result.getString(i)).append('|');
                        }
                    }
                }
                assertThat(text.toString()).as(table).doesNotContain("S3cret");
            }
            try (var result = statement.executeQuery("SELECT error FROM sluice.sink_writes WHERE status = 'failed'")) {
                result.next();
                assertThat(result.getString(1)).contains("password ${env:SINK_PW}");
            }
        }
    }

    private static java.util.Properties readOnly() {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("duckdb.read_only", "true");
        return properties;
    }
}
