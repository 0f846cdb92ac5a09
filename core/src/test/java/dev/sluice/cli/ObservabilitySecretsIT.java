package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ProjectFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        Path metrics = dir.resolve("metrics.prom");

        int exit = launch(console, "--log-format", "json", "run", project.toString(), "--metrics-file",
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

        assertThat(launch(console, "run", project.toString(), "--metrics-file", metrics.toString())).isEqualTo(1);
        String human = Files.readString(console);
        assertThat(human).contains("${env:SLUICE_OBS_SECRET}");
        List<String> forms = List.of(SECRET, json.writeValueAsString(SECRET), SECRET.replace("\\", "\\\\"),
                SECRET.replace("'", "''"), "Mx4it", "Hidden");
        assertThat(human).doesNotContain(forms.toArray(new String[0]));
        assertThat(Files.readString(metrics)).doesNotContain(forms.toArray(new String[0]));
    }

    /** Runs the launcher in a child JVM with the secret in its environment; appends its output to the console file. */
    private int launch(Path console, String... args) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + tmp, "-cp",
                System.getProperty("java.class.path"), "dev.sluice.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        builder.environment().put("SLUICE_OBS_SECRET", SECRET);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the launcher finished").isTrue();
        return process.exitValue();
    }
}
