package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.LateRowCounts;
import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.QualityResult;
import dev.sluice.SourceResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Outcomes a small pipeline rarely produces together: failed loads and builds, late rows, runs with no result. */
class RunMetricsTest {
    @Test
    void failuresLateRowsAndErrorsAreCountedByTheirLowCardinalityTags() {
        try (RunMetrics metrics = new RunMetrics()) {
            metrics.sourceLoaded(new SourceResult("raw.events", false, 0, 0, Duration.ofMillis(20),
                    "Cannot read data/x.csv: no such file", List.of(new QualityResult("raw.events", "not_null(id)",
                            "not_null", null, 10, 1, 0.1, "", "fail", "1 row is null", null))));
            metrics.modelFinished(new ModelResult("hourly", "main.hourly", "table", ModelStatus.FAILED, null,
                    Duration.ofSeconds(2), "changed", "models/hourly.sql: Cannot build", List.of())
                    .withWindow(new LateRowCounts(3, 0, 2, 1, 0), null), 1, 1);
            metrics.runFailed(Duration.ofSeconds(1));
            metrics.catalogRecorded(new RunRecord(List.of(new RunRecord.ModelBytes("main.unseen", 10)),
                    List.of(new RunRecord.Detection("raw.events", 1, 0, 0, Optional.empty()))));

            PrometheusText text = PrometheusText.parse(metrics.scrape());
            assertThat(text.value("sluice_source_duration_seconds_count", "source", "raw.events", "status", "failed"))
                    .hasValue(1.0);
            assertThat(text.named("sluice_source_rows_total")).isEmpty();
            // a source's rule has no severity recorded: the tag is empty, never missing
            assertThat(text.value("sluice_quality_failures_total", "model", "raw.events", "severity", "",
                    "verdict", "fail")).hasValue(1.0);
            assertThat(text.named("sluice_quarantined_rows_total")).singleElement().satisfies(sample -> {
                assertThat(sample.labels()).containsEntry("reason", "late").containsEntry("model", "hourly");
                assertThat(sample.value()).isEqualTo(2.0);
            });
            assertThat(text.value("sluice_late_rows_total", "model", "hourly", "fate", "rebuilt")).hasValue(3.0);
            assertThat(text.value("sluice_late_rows_total", "model", "hourly", "fate", "dropped")).hasValue(1.0);
            assertThat(text.value("sluice_late_rows_total", "model", "hourly", "fate", "reassigned")).isEmpty();
            assertThat(text.value("sluice_model_duration_seconds_count", "model", "hourly", "status", "failed"))
                    .hasValue(1.0);
            assertThat(text.named("sluice_model_rows_total")).isEmpty();
            assertThat(text.value("sluice_runs_total", "status", "error")).hasValue(1.0);
            // bytes of a relation no model of this process reported keep the relation's name
            assertThat(text.value("sluice_model_bytes", "model", "main.unseen")).hasValue(10.0);
            assertThat(text.named("sluice_source_read_lag_seconds")).isEmpty();
            assertThat(metrics.registry().find("sluice.runs").counters()).hasSize(1);
        }
    }

    @Test
    void watermarksThatAreTimesGiveALagAndOthersNone() {
        assertThat(RunRecord.time("2026-01-01 12:00:00")).hasValue(Instant.parse("2026-01-01T12:00:00Z"));
        assertThat(RunRecord.time("2026-01-01T12:00:00.5")).hasValue(Instant.parse("2026-01-01T12:00:00.500Z"));
        assertThat(RunRecord.time("2026-01-01 12:00:00+02")).hasValue(Instant.parse("2026-01-01T10:00:00Z"));
        assertThat(RunRecord.time("2026-01-01 12:00:00+02:00")).hasValue(Instant.parse("2026-01-01T10:00:00Z"));
        assertThat(RunRecord.time("2026-01-02")).hasValue(Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(RunRecord.time("41")).isEmpty();
        assertThat(RunRecord.time("{\"0\": 12}")).isEmpty();
        assertThat(RunRecord.time(" ")).isEmpty();
        assertThat(RunRecord.time(null)).isEmpty();
    }
}
