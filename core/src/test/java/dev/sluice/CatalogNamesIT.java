package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.engine.Session;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every catalog table names a model by its qualified name (schema.name); a catalog written before, with file names
 * alone in some tables, is rewritten by its migration and keeps working (checkpoints and intervals still found).
 */
class CatalogNamesIT {
    private static final List<String> TABLES = List.of("model_runs", "quality_results", "quality_metrics",
            "checkpoints", "intervals", "window_runs", "lineage_runs", "lineage_columns", "table_stats",
            "storage_decisions");

    @TempDir
    Path dir;

    private Path project() {
        Path project = ProjectFixture.copyTo("catalog_names", dir.resolve("names")).root();
        return project;
    }

    private static List<List<Object>> names(Sluice sluice) {
        String union = String.join(" UNION ", TABLES.stream().map(table -> "SELECT DISTINCT '" + table
                + "' AS t, model FROM sluice." + table + " WHERE model NOT LIKE 'raw.%'").toList());
        return sluice.query("SELECT model, count(DISTINCT t) FROM (" + union + ") GROUP BY model ORDER BY model")
                .rows();
    }

    @Test
    void modelsAreNamedSchemaDotNameInEveryTableAndOldCatalogsAreRewritten() {
        Path project = project();
        Sluice sluice = Sluice.open(project);
        RunResult first = sluice.run(RunOptions.defaults());
        assertThat(first.succeeded()).as(first.toString()).isTrue();
        // orders: runs, results, metrics, checkpoints, lineage (2), stats, decisions; hourly: runs, checkpoints,
        // lineage (2), intervals, window_runs.
        assertThat(names(sluice)).containsExactly(List.of("marts.hourly", 6L), List.of("marts.orders", 8L));
        assertThat(sluice.qualityResults("orders", null, 1)).singleElement()
                .satisfies(result -> assertThat(result.model()).isEqualTo("marts.orders"));

        // A catalog written before V10 named models by their file name in these tables.
        try (DuckDbEngine engine = DuckDbEngine.open(project.resolve("target/names.duckdb"), 0, null);
                Session session = engine.session()) {
            for (String table : List.of("model_runs", "quality_results", "quality_metrics", "checkpoints",
                    "intervals", "window_runs", "late_rows")) {
                session.execute("UPDATE sluice." + table + " SET model = replace(model, 'marts.', '')");
            }
            session.execute("DELETE FROM sluice.schema_version WHERE version = 10");
        }
        ProjectFixture.at(project).write("data/b.csv", "id,ts,amount\n3,2024-01-01 04:10:00,1\n");
        Sluice reopened = Sluice.open(project);
        RunResult second = reopened.run(RunOptions.defaults());
        assertThat(names(reopened)).containsExactly(List.of("marts.hourly", 6L), List.of("marts.orders", 8L));
        // The rewritten checkpoints are found: the new file is folded in as a slice, not rebuilt in full.
        assertThat(second.model("orders").get().reason()).contains("incremental: new rows of raw.events after run "
                + first.runId());
        assertThat(second.model("hourly").get().reason()).doesNotContain("rebuilt in full");
        assertThat(reopened.query("SELECT count(*) FROM sluice.model_runs WHERE model NOT LIKE '%.%'").rows())
                .containsExactly(List.of(0L));
    }
}
