package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.Lineage.Edge;
import dev.sluice.memory.MemoryConnector;
import dev.sluice.memory.MemoryRows;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector seam is open: {@link MemoryConnector}, defined only in the tests and registered through
 * {@code src/test/resources/META-INF/services}, is planned, loaded, gated, traced and read incrementally like the
 * connectors Sluice ships, with no code of exec, plan, lineage or quality written for it.
 */
class MemoryConnectorIT {
    private static final String LIST = "memory_source_events";

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        MemoryRows.clear(LIST);
    }

    private static long count(Sluice sluice, String sql) {
        return ((Number) sluice.query(sql).rows().get(0).get(0)).longValue();
    }

    @Test
    void aTestOnlyConnectorPlansBuildsTracesAndLoadsOnlyNewRows() {
        Path project = ProjectFixture.copy("memory_source", dir).root();
        MemoryRows.add(LIST, List.of(List.of(1, "ann", 10.0, "2026-01-01 10:00:00"),
                List.of(2, "bob", 20.0, "2026-01-01 11:00:00"), List.of(3, "ann", 5.0, "2026-01-01 12:00:00")));
        Sluice sluice = Sluice.open(project);

        assertThat(sluice.plan(RunOptions.defaults())).extracting(PlanStep::model)
                .containsExactlyInAnyOrder("events_doubled", "customer_totals");
        assertThat(sluice.pendingChanges(RunOptions.defaults())).singleElement()
                .extracting(SourceChange::summary).asString()
                .contains("3 rows above the watermark (first load: all rows)");
        // Lineage and personal-data tags reach through the models to the memory source's columns.
        assertThat(sluice.lineage().upstream("events_doubled.doubled", 0)).contains(
                new Edge("raw.events.amount", "main.events_doubled.doubled", "DIRECT", "TRANSFORMATION"));
        assertThat(sluice.lineage().pii()).containsKey("main.customer_totals.customer");

        RunResult first = sluice.run(RunOptions.defaults());
        assertThat(first.succeeded()).isTrue();
        assertThat(first.sources()).singleElement().satisfies(source -> {
            assertThat(source.rows()).isEqualTo(3);
            assertThat(source.quality()).extracting(QualityResult::verdict).containsExactly("pass", "pass");
        });
        assertThat(first.model("customer_totals").orElseThrow().quality()).extracting(QualityResult::verdict)
                .containsExactly("pass");
        assertThat(count(sluice, "SELECT sum(doubled) FROM main.events_doubled")).isEqualTo(70);

        // One new row: the second run loads only it, and the incremental model reads only it.
        MemoryRows.add(LIST, List.of(List.of(4, "cid", 1.0, "2026-01-02 09:00:00")));
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.succeeded()).isTrue();
        assertThat(second.sources().get(0).rows()).isEqualTo(1);
        assertThat(second.model("events_doubled").orElseThrow().rows()).isEqualTo(1L);
        assertThat(count(sluice, "SELECT count(*) FROM main.events_doubled")).isEqualTo(4);
        assertThat(count(sluice, "SELECT count(*) FROM raw.events")).isEqualTo(4);
        assertThat(count(sluice, "SELECT total FROM main.customer_totals WHERE customer = 'cid'")).isEqualTo(1);
        // The run's lineage records the slice read and its watermark range, as for a table source.
        assertThat(sluice.query("SELECT inputs FROM sluice.lineage_runs WHERE run_id = " + second.runId()
                + " AND model = 'main.events_doubled'").rows().get(0).get(0).toString())
                .contains("raw.events").contains("slice").contains("2026-01-02 09:00:00");
        assertThat(count(sluice, "SELECT count(*) FROM sluice.lineage_columns WHERE run_id = " + second.runId()
                + " AND source_relation = 'raw.events'")).isPositive();

        RunResult third = sluice.run(RunOptions.defaults());
        assertThat(third.sources().get(0).rows()).isZero();
        assertThat(third.model("events_doubled").orElseThrow().status()).isEqualTo(ModelStatus.UP_TO_DATE);
    }

    @Test
    void aWindowedModelReadsItByEventTimeAsItArrives() {
        ProjectFixture project = ProjectFixture.copy("memory_source", dir);
        project.write("models/hourly.sql", """
                /*---
                materialized: incremental
                time: { column: hour, input_column: updated_at, grain: 1 hour, start: 2026-01-01, lateness: 3 hours }
                ---*/
                SELECT date_trunc('hour', updated_at) AS hour, count(*) AS events, sum(amount) AS amount
                FROM raw.events
                GROUP BY 1
                """);
        MemoryRows.add(LIST, List.of(List.of(1, "ann", 1.0, "2026-01-01 00:10:00"),
                List.of(2, "bob", 2.0, "2026-01-01 05:00:00"), List.of(3, "ann", 4.0, "2026-01-02 01:00:00")));
        Sluice sluice = project.open();
        assertThat(project.run().succeeded()).isTrue();
        // Complete up to the newest event less the lateness: 2026-01-01 22:00.
        assertThat(project.query("SELECT CAST(hour AS VARCHAR), events FROM main.hourly ORDER BY hour").rows())
                .containsExactly(List.of("2026-01-01 00:00:00", 1L), List.of("2026-01-01 05:00:00", 1L));

        // Plan previews the windowed model's pending intervals through the connector too.
        assertThat(sluice.plan(RunOptions.defaults())).extracting(PlanStep::model).contains("hourly");

        MemoryRows.add(LIST, List.of(List.of(4, "cid", 8.0, "2026-01-02 06:00:00")));
        RunResult second = project.run();
        assertThat(second.succeeded()).isTrue();
        assertThat(second.sources().get(0).rows()).isEqualTo(1);
        assertThat(project.query("SELECT CAST(hour AS VARCHAR), events FROM main.hourly ORDER BY hour").rows())
                .containsExactly(List.of("2026-01-01 00:00:00", 1L), List.of("2026-01-01 05:00:00", 1L),
                        List.of("2026-01-02 01:00:00", 1L));
    }

    @Test
    void withoutAWatermarkEveryRunReadsItWhole() {
        Path project = ProjectFixture.copy("memory_source", dir).root();
        ProjectFixture.at(project).write("sluice.yml", """
                name: memory_source
                warehouse: target/memory_source.duckdb
                sources:
                  raw.events:
                    type: memory
                    list: memory_source_events
                    columns: { id: BIGINT, customer: VARCHAR, amount: DOUBLE, updated_at: TIMESTAMP }
                    quality:
                      - range: { column: amount, min: 0 }
                """);
        MemoryRows.add(LIST, List.of(List.of(1, "ann", 10.0, "2026-01-01 10:00:00")));
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).sources().get(0).rows()).isEqualTo(1);

        MemoryRows.add(LIST, List.of(List.of(2, "bob", 20.0, "2026-01-01 09:00:00")));
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.succeeded()).isTrue();
        assertThat(second.sources().get(0).rows()).isEqualTo(2);
        assertThat(count(sluice, "SELECT sum(total) FROM main.customer_totals")).isEqualTo(30);

        // A failed gate keeps the table as it was.
        MemoryRows.add(LIST, List.of(List.of(3, "cid", -5.0, "2026-01-01 11:00:00")));
        RunResult third = sluice.run(RunOptions.defaults());
        assertThat(third.sources().get(0).loaded()).isFalse();
        assertThat(third.sources().get(0).error()).startsWith("Cannot load source raw.events (sluice.yml:");
        assertThat(count(sluice, "SELECT count(*) FROM raw.events")).isEqualTo(2);
    }

    @Test
    void itsGateStopsBadRowsAndItsConfigurationErrorsAreLocated() {
        Path project = ProjectFixture.copy("memory_source", dir).root();
        MemoryRows.add(LIST, List.of(List.of(1, "ann", -1.0, "2026-01-01 10:00:00")));
        RunResult run = Sluice.open(project).run(RunOptions.defaults());
        assertThat(run.sources().get(0).loaded()).isFalse();
        assertThat(run.sources().get(0).error()).contains("Cannot load source raw.events").contains("amount");

        ProjectFixture.at(project).write("sluice.yml", """
                name: memory_source
                sources:
                  raw.events:
                    type: memory
                    list: events
                    columns: { id: BIGINT }
                    watermark: updated
                    colums: x
                """);
        assertThatThrownBy(() -> Sluice.open(project)).isInstanceOf(SluiceException.class)
                .hasMessageContaining("sluice.yml:8:5: Cannot read source raw.events: unknown key 'colums'; valid keys "
                        + "are list, columns, watermark, type, quality, pii, mask; did you mean 'columns'?")
                .hasMessageContaining("sluice.yml:7:16: Cannot read source raw.events: watermark 'updated' is not one "
                        + "of its columns id; set it to the column that grows");
    }
}
