package dev.sluice.cli;

import static dev.sluice.cli.Launcher.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ProjectFixture;
import dev.sluice.cli.Launcher.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --metrics-file} and {@code --log-format json} as a user runs them: the file is Prometheus text (parsed by
 * the test's parser) after a run, a failed run, an error and a backfill; every stderr line is a JSON object Jackson
 * reads, with the fields a log pipeline keys on.
 */
class ObservabilityCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theMetricsFileIsWrittenAfterARunAFailedRunAndAnError() throws Exception {
        Path project = ProjectFixture.copyTo("cli_exit_codes", dir.resolve("p")).root();
        Path file = dir.resolve("metrics/sluice.prom");
        ProjectFixture.at(project).write("models/good.sql", "/*--- materialized: table ---*/\nSELECT id FROM raw.items\n");

        Outcome failed = sluice("run", project.toString(), "--metrics-file", file.toString());
        assertThat(failed.code()).as(failed.err()).isEqualTo(1);
        // the human output is unchanged beside the file
        assertThat(failed.out()).contains("Run 1 FAILED");
        String text = Files.readString(file);
        assertThat(text).contains("# TYPE sluice_runs_total counter")
                .contains("sluice_runs_total{status=\"failed\"} 1.0")
                .contains("sluice_model_duration_seconds_count{model=\"bad\",status=\"failed\"} 1")
                .contains("sluice_model_rows_total{model=\"good\"} 10.0")
                .contains("sluice_source_rows_total{source=\"raw.items\"} 10.0")
                .contains("sluice_duckdb_memory_bytes ")
                .contains("jvm_memory_used_bytes");
        assertThat(Files.exists(dir.resolve("metrics/sluice.prom.tmp"))).isFalse();

        ProjectFixture.at(project).write("models/bad.sql", "/*--- materialized: table ---*/\nSELECT id FROM raw.items\n");
        assertThat(sluice("run", project.toString(), "--metrics-file", file.toString()).code()).isZero();
        assertThat(Files.readString(file)).contains("sluice_runs_total{status=\"success\"} 1.0")
                .doesNotContain("status=\"failed\"");

        Outcome missing = sluice("run", dir.resolve("nowhere").toString(), "--metrics-file", file.toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).startsWith("error: ").contains("sluice init");
        assertThat(Files.readString(file)).contains("sluice_runs_total{status=\"error\"} 1.0")
                .contains("sluice_run_duration_seconds_count{status=\"error\"} 1");
    }

    @Test
    void anUnwritableMetricsFileIsAnErrorThatNamesIt() throws Exception {
        Path project = ProjectFixture.copyTo("cli_exit_codes", dir.resolve("p")).root();
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file, not a folder");
        Outcome outcome = sluice("run", project.toString(), "--metrics-file", blocker.resolve("m.prom").toString());
        assertThat(outcome.code()).isEqualTo(2);
        assertThat(outcome.err()).contains("error: Cannot write the metrics file " + blocker.resolve("m.prom"))
                .contains("choose a path in a writable folder");
    }

    @Test
    void jsonLogLinesCarryTimeLevelRunIdModelEventAndMessage() throws Exception {
        Path project = ProjectFixture.copyTo("cli_exit_codes", dir.resolve("p")).root();
        Instant before = Instant.now();
        Outcome failed = sluice("--log-format", "json", "run", project.toString());
        assertThat(failed.code()).isEqualTo(1);
        assertThat(failed.out()).isEmpty();
        List<JsonNode> lines = lines(failed.err());
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.fieldNames()).toIterable().contains("time", "level", "run_id", "model", "event", "message");
            assertThat(Instant.parse(line.get("time").asText())).isAfterOrEqualTo(before.minusSeconds(1));
            assertThat(line.get("level").asText()).isIn("INFO", "WARN", "ERROR");
            assertThat(line.get("run_id").asLong()).isEqualTo(1);
        });
        assertThat(lines).extracting(line -> line.get("event").asText()).startsWith("run_started")
                .contains("source_loaded", "model_started", "model_finished").endsWith("run_finished");
        JsonNode bad = lines.stream().filter(line -> line.get("event").asText().equals("model_finished")).findFirst()
                .orElseThrow();
        assertThat(bad.get("level").asText()).isEqualTo("ERROR");
        assertThat(bad.get("model").asText()).isEqualTo("bad");
        assertThat(bad.get("status").asText()).isEqualTo("failed");
        assertThat(bad.get("message").asText()).contains("Cannot build model bad (models/bad.sql)");
        assertThat(lines.get(lines.size() - 1).get("message").asText()).startsWith("Run 1 FAILED in ");

        // the option after the command too, and an error that ends the command is a JSON line
        Outcome missing = sluice("run", dir.resolve("nowhere").toString(), "--log-format", "JSON");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(lines(missing.err())).singleElement().satisfies(line -> {
            assertThat(line.get("event").asText()).isEqualTo("error");
            assertThat(line.get("level").asText()).isEqualTo("ERROR");
            assertThat(line.get("run_id").isNull()).isTrue();
            assertThat(line.get("model").isNull()).isTrue();
            assertThat(line.get("exit_code").asInt()).isEqualTo(2);
            assertThat(line.get("message").asText()).contains("sluice init");
        });

        // human stays the default
        Outcome human = sluice("run", project.toString());
        assertThat(human.out()).contains("Run 2 FAILED");
        assertThat(human.err()).doesNotContain("{");
        assertThat(sluice("--log-format", "xml", "run", project.toString()).err())
                .contains("Invalid value for option '--log-format'").contains("HUMAN, JSON");
    }

    @Test
    void backfillWritesMetricsAndJsonLinesWithQualityAndLateRows() throws Exception {
        Path project = ProjectFixture.copy("windowed_events", dir).root();
        ProjectFixture.at(project).write("data/a.csv", "event_id,event_ts,amount\n1,2024-01-01 00:10:00,1\n"
                + "2,2024-01-01 05:00:00,2\n3,2024-01-02 01:00:00,4\n");
        assertThat(sluice("run", project.toString()).code()).isZero();
        Path file = dir.resolve("backfill.prom");
        Outcome backfill = sluice("backfill", project.toString(), "--select", "hourly", "--from", "2024-01-01 04:00",
                "--to", "2024-01-01 06:00", "--metrics-file", file.toString(), "--log-format", "json");
        assertThat(backfill.code()).as(backfill.err()).isZero();
        List<JsonNode> lines = lines(backfill.err());
        assertThat(lines).extracting(line -> line.get("model").asText()).contains("hourly", "daily");
        assertThat(lines).allSatisfy(line -> assertThat(line.get("run_id").asLong()).isEqualTo(2));
        assertThat(Files.readString(file)).contains("sluice_runs_total{status=\"success\"} 1.0")
                .contains("sluice_model_duration_seconds_count{model=\"hourly\",status=\"success\"} 1");
    }

    private static List<JsonNode> lines(String err) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : err.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }
}
