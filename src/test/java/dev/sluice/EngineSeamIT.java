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
    void aDuckDbParserModelIsRefusedOnAnotherEngine() {
        Path project = project("recording", "/*---\nparser: duckdb\n---*/\nSELECT id FROM raw.items GROUP BY ALL");

        assertThatThrownBy(() -> Sluice.open(project).run(RunOptions.defaults()))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("parser: duckdb ties model items to the DuckDB engine")
                .hasMessageContaining("the project runs on engine 'recording'");
    }
}
