package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ForkedLauncher;
import dev.sluice.ProjectFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret from the environment in a source's path and a model's SQL, both of which fail and so appear in errors,
 * reaches neither the JSON log nor the metrics file, in any escaping. The launcher runs in a child JVM, the only way
 * to give it an environment variable.
 */
class ObservabilitySecretsIT {
    /** Distinctive, with the quotes that JSON and the Prometheus text format escape. */
    private static final String SECRET = "Mx4it's-\"Hidden\"-9Qw";

    @TempDir
    Path dir;

    @Test
    void aSecretInFailingSourcesAndModelsIsInNoLogLineAndNoMetric() throws Exception {
        Path project = dir.resolve("vault");
        ProjectFixture fixture = ProjectFixture.at(project);
        fixture.write("sluice.yml", """
                name: vault
                warehouse: target/vault.duckdb
                vars:
                  token: ${env:SLUICE_OBS_SECRET}
                sources:
                  raw.events:
                    type: files
                    path: data/${env:SLUICE_OBS_SECRET}/events-*.csv
                    format: csv
                    columns: { id: BIGINT, amount: BIGINT }
                  raw.broken:
                    type: files
                    path: data/${env:SLUICE_OBS_SECRET}/broken-*.csv
                    format: csv
                    columns: { id: BIGINT, amount: BIGINT }
                    max_rejected_fraction: 0.1
                """);
        // half the lines are corrupt: the load fails, and its error names the file under the secret folder
        fixture.write("data/" + SECRET + "/events-1.csv", "id,amount\n1,10\n2,20\n");
        fixture.write("data/" + SECRET + "/broken-1.csv", "id,amount\n1,10\nx,20\n");
        fixture.write("models/bad_cast.sql", """
                /*--- materialized: table ---*/
                SELECT CAST(${token} AS INTEGER) AS n FROM raw.events
                """);
        fixture.write("models/totals.sql", """
                /*--- materialized: table ---*/
                SELECT sum(amount) AS total FROM raw.broken
                """);
        Path console = dir.resolve("console.log");
        ForkedLauncher launcher = ForkedLauncher.in(dir).logTo(console).environment("SLUICE_OBS_SECRET", SECRET);
        Path metrics = dir.resolve("metrics.prom");

        int exit = launcher.run("--log-format", "json", "run", project.toString(), "--metrics-file",
                metrics.toString());
        assertThat(exit).as(Files.readString(console)).isEqualTo(1);
        String log = Files.readString(console);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : log.split("\n")) {
            lines.add(json.readTree(line));
        }
        // both failures are in the log, the cast with the secret's placeholder where DuckDB quoted its value
        assertThat(lines).filteredOn(line -> line.get("level").asText().equals("ERROR"))
                .extracting(line -> line.get("message").asText())
                .anySatisfy(message -> assertThat(message).contains("Cannot load source raw.broken"))
                .anySatisfy(message -> assertThat(message).contains("bad_cast").contains("${env:SLUICE_OBS_SECRET}"));
        String text = Files.readString(metrics);
        assertThat(text).contains("sluice_runs_total{status=\"failed\"} 1.0")
                .contains("sluice_model_duration_seconds_count{model=\"bad_cast\",status=\"failed\"} 1");

        assertThat(launcher.run("run", project.toString(), "--metrics-file", metrics.toString())).isEqualTo(1);
        String human = Files.readString(console);
        assertThat(human).contains("${env:SLUICE_OBS_SECRET}");
        List<String> forms = List.of(SECRET, json.writeValueAsString(SECRET), SECRET.replace("\\", "\\\\"),
                SECRET.replace("'", "''"), "Mx4it", "Hidden");
        assertThat(human).doesNotContain(forms.toArray(new String[0]));
        assertThat(Files.readString(metrics)).doesNotContain(forms.toArray(new String[0]));
    }
}
