package dev.sluice.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.ProjectFixture;
import dev.sluice.catalog.Catalog;
import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.engine.Session;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectReader;
import dev.sluice.storage.StorageOptimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lake build that would not fit on its disk fails before writing, and the published version stays readable. */
class LakePublishTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskFailsTheBuildBeforeWritingAndKeepsThePublishedVersion() throws IOException {
        Path root = ProjectFixture.at(dir.resolve("p")).write("sluice.yml", "name: p\n").getParent();
        ProjectFixture.at(root).write("models/events.sql", "/*---\nmaterialized: table\nparser: duckdb\nstorage: { format: "
                + "parquet }\n---*/\nSELECT i AS id, 'k' || (i % 9) AS kind FROM range(50000) r(i)");
        Project project = ProjectReader.read(root, Map.of());
        dev.sluice.plan.ProjectPlan plan = new Pipeline(project, "test").plan();
        PlannedModel events = plan.model("events").orElseThrow();
        Path lake = root.resolve("target/lake/main/events");
        try (DuckDbEngine engine = DuckDbEngine.open(root.resolve("w.duckdb"), 0, null, List.of(root))) {
            Catalog catalog = Catalog.open(engine);
            ModelResult first = new ModelBuilder(engine, catalog, 1, text -> text, new StorageOptimizer(catalog,
                    folder -> Long.MAX_VALUE, Map.of(), 256L << 20, root), new RunInputs(project, plan, catalog),
                    new RunEvents(null, project, plan, catalog, 1, engine.version(), dev.sluice.project.ColumnMasks.NONE), Map.of(), dev.sluice.project.ColumnMasks.NONE)
                    .build(events, List.of(), "new", null);
            assertThat(first.status()).isEqualTo(ModelStatus.SUCCESS);

            // the lake's disk is full, the warehouse's is not
            StorageOptimizer full = new StorageOptimizer(catalog, folder -> folder.startsWith(root.resolve("target"))
                    ? 1024 : Long.MAX_VALUE, Map.of(), 256L << 20, root);
            ModelResult second = new ModelBuilder(engine, catalog, 2, text -> text, full,
                    new RunInputs(project, plan, catalog), new RunEvents(null, project, plan, catalog, 2,
                            engine.version(), dev.sluice.project.ColumnMasks.NONE), Map.of(), dev.sluice.project.ColumnMasks.NONE).build(events, List.of(), "rebuilt", null);
            assertThat(second.status()).isEqualTo(ModelStatus.FAILED);
            assertThat(second.error()).startsWith("Cannot build model events (models/events.sql): Cannot write model "
                    + "events (models/events.sql) to " + lake + ": its Parquet files need about ")
                    .endsWith("but only 1.0 KiB is free there; free some space or set storage.path to a disk with "
                            + "room. Nothing was written and the published table is unchanged");
            try (Stream<Path> versions = Files.list(lake)) {
                assertThat(versions.map(p -> p.getFileName().toString())).containsExactly("run-1");
            }
            try (Session session = engine.session()) {
                assertThat(session.query("SELECT count(*) FROM main.events").singleLong()).isEqualTo(50_000);
                assertThat(session.query("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE "
                        + "'events__%'").singleLong()).isZero();
                assertThat(session.query("SELECT status FROM sluice.model_runs ORDER BY run_id").values())
                        .containsExactly(List.of("success"), List.of("failed"));
                assertThat(session.query("SELECT count(*) FROM sluice.storage_decisions WHERE run_id = 2")
                        .singleLong()).isZero();
            }
        }
    }
}
