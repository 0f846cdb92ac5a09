package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.engine.EngineOptions.Access;
import dev.sluice.engine.RecordingEngineFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A project's engine: is what its runs, plans and queries open; an engine defined only in test code plugs in. */
class EngineSeamIT {
    @TempDir
    Path dir;

    /** The engine_seam scenario run by {@code engine}, with {@code model} as models/items.sql. */
    private Path project(String engine, String model) {
        ProjectFixture project = ProjectFixture.copyTo("engine_seam", dir.resolve("p"));
        project.replace("sluice.yml", "engine: duckdb", "engine: " + engine);
        project.write("models/items.sql", model);
        return project.root();
    }

    @Test
    void runsPlansAndQueriesOpenTheEngineTheProjectNames() {
        Path project = project("recording", "/*--- materialized: table ---*/ SELECT id FROM raw.items");
        Sluice sluice = Sluice.open(project);
        Path warehouse = project.resolve("target/seam.duckdb");

        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        assertThat(sluice.plan(RunOptions.defaults())).extracting(PlanStep::model).containsExactly("items");
        assertThat(sluice.query("SELECT count(*) FROM main.items").rows()).containsExactly(List.of(10L));
        try (QueryStream rows = sluice.stream("SELECT id FROM main.items ORDER BY id LIMIT 1")) {
            assertThat(rows.next()).containsExactly(1L);
        }

        assertThat(RecordingEngineFactory.opened(warehouse))
                .containsSubsequence(Access.READ_WRITE, Access.READ_ONLY, Access.QUERIES, Access.QUERIES);
    }

    @Test
    void anEngineAskingForCalcitesPrintingOfTheModelsGetsTheSameRows() {
        String model = """
                /*--- materialized: table ---*/
                WITH odd AS (SELECT id, id % 2 = 1 AS "is odd" FROM raw.items)
                SELECT CASE WHEN o."is odd" THEN 'odd' ELSE 'even' END AS parity, count(*) AS n, sum(i.id) AS total,
                       max(i.id) FILTER (WHERE i.id < 8) AS below_eight
                FROM raw.items AS i JOIN odd AS o ON o.id = i.id
                WHERE i.id > 1
                GROUP BY 1
                ORDER BY parity
                """;
        Path duckDb = project("duckdb", model);
        Sluice byText = Sluice.open(duckDb);
        assertThat(byText.run(RunOptions.defaults()).succeeded()).isTrue();
        ProjectFixture printed = ProjectFixture.copyTo("engine_seam", dir.resolve("printed"));
        printed.replace("sluice.yml", "engine: duckdb", "engine: printing");
        printed.write("models/items.sql", model);
        Sluice byPlan = printed.open();
        RunResult printedRun = byPlan.run(RunOptions.defaults());
        assertThat(printedRun.succeeded()).as(printedRun.toString()).isTrue();

        String read = "SELECT * FROM main.items ORDER BY parity";
        assertThat(byPlan.query(read).rows()).isEqualTo(byText.query(read).rows())
                .containsExactly(List.of("even", 5L, java.math.BigInteger.valueOf(30), 6L),
                        List.of("odd", 4L, java.math.BigInteger.valueOf(24), 7L));
        // what ran: the model's own text on DuckDB, Calcite's printing (PostgreSQL dialect) on the printing engine
        String ran = "SELECT sql_text FROM sluice.lineage_runs WHERE model = 'main.items'";
        assertThat((String) byText.query(ran).rows().get(0).get(0)).contains("FILTER (WHERE i.id < 8)");
        assertThat((String) byPlan.query(ran).rows().get(0).get(0))
                .contains("FILTER (WHERE \"i\".\"id\" < 8)", "GROUP BY 1").doesNotContain("FILTER (WHERE i.id");
    }

    @Test
    void aDuckDbParserModelIsRefusedOnAnotherEngine() {
        Path project = project("recording", "/*---\nparser: duckdb\n---*/\nSELECT id FROM raw.items GROUP BY ALL");

        assertThatThrownBy(() -> Sluice.open(project).run(RunOptions.defaults()))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("parser: duckdb ties model items to the DuckDB engine")
                .hasMessageContaining("the project runs on engine 'recording'");
    }
}
