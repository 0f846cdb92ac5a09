package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.postgres.PostgresServer;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Windowed models with late data keep their late-row records in the catalog, wherever it is: with the catalog in
 * PostgreSQL ({@code catalog: {type: postgres}}), the late-data scenario leaves the tables and interval states it leaves
 * with the catalog in the warehouse, after every run and restatement.
 */
class WindowSharedCatalogIT {
    @TempDir
    Path dir;

    @Test
    void lateDataGivesTheTablesAndIntervalStatesOfACatalogInTheWarehouse() {
        String database = PostgresServer.newDatabase("window_catalog");
        ProjectFixture inWarehouse = LateDataScenario.project(dir.resolve("warehouse"), "");
        ProjectFixture inPostgres = LateDataScenario.project(dir.resolve("postgres"), "catalog:\n  type: postgres\n"
                + "  url: " + PostgresServer.url(database) + "\n  user: " + PostgresServer.user()
                + "\n  schema: sluice_windows\n");

        for (int step = 0; step < LateDataScenario.STEPS; step++) {
            RunResult expected = LateDataScenario.step(inWarehouse, step);
            RunResult actual = LateDataScenario.step(inPostgres, step);
            assertThat(actual.models()).extracting(ModelResult::model, ModelResult::status, ModelResult::rows,
                    ModelResult::lateRows).as("step %d", step).containsExactlyInAnyOrderElementsOf(expected.models()
                            .stream().map(m -> org.assertj.core.groups.Tuple.tuple(m.model(), m.status(), m.rows(),
                                    m.lateRows())).toList());
            Map<String, List<List<Object>>> want = LateDataScenario.outcome(inWarehouse);
            Map<String, List<List<Object>>> got = LateDataScenario.outcome(inPostgres);
            for (String what : want.keySet()) {
                assertThat(LateDataScenario.normal(got.get(what))).as("step %d: %s", step, what)
                        .isEqualTo(LateDataScenario.normal(want.get(what)));
            }
        }

        // the rows beyond lateness (events 7 and 9, hour 05 of day 1) stayed out of every restated hour 05
        Sluice sluice = inPostgres.open();
        LocalDateTime five = LocalDateTime.parse("2024-01-01T05:00");
        for (String model : List.of("hourly", "hourly_drop", "hourly_current")) {
            assertThat(sluice.query("SELECT events, CAST(amount AS BIGINT) FROM main." + model + " WHERE hour = "
                    + "TIMESTAMP '2024-01-01 05:00'").rows()).as(model).containsExactly(List.of(1L, 2L));
        }
        assertThat(sluice.query("SELECT event_id, _sluice_interval_start FROM main.hourly__late ORDER BY 1").rows())
                .containsExactly(List.of(7L, five), List.of(9L, five));
        // event 7 moved to hour 02 of day 3, the open hour when it came (event 9 waits for hour 03 to complete)
        assertThat(sluice.query("SELECT events, CAST(amount AS BIGINT) FROM main.hourly_current WHERE hour = "
                + "TIMESTAMP '2024-01-03 02:00'").rows()).containsExactly(List.of(2L, 80L));
        assertThat(sluice.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'sluice'")
                .rows()).containsExactly(List.of(0L));
    }
}
