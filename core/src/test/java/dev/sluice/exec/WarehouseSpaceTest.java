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
import dev.sluice.storage.FreeSpace;
import dev.sluice.storage.StorageOptimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warehouse build that would not fit on the warehouse's disk fails before it writes, with the model, the
 * warehouse and the room it needs named, and the published table stays as it was.
 */
class WarehouseSpaceTest {
    @TempDir
    Path dir;

    @Test
    void aBuildThatWouldNotFitTheWarehouseDiskFailsBeforeWritingAndKeepsThePublishedTable() throws IOException {
        Path root = ProjectFixture.at(dir.resolve("p")).write("sluice.yml", "name: p\n").getParent();
        ProjectFixture.at(root).write("models/events.sql", "/*---\nmaterialized: table\nparser: duckdb\n---*/\n"
                + "SELECT i AS id, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) || md5((i + 2)::VARCHAR) AS text, random() AS "
                + "score FROM range(200000) r(i)");
        Project project = ProjectReader.read(root, Map.of());
        dev.sluice.plan.ProjectPlan plan = new Pipeline(project, "test").plan();
        PlannedModel events = plan.model("events").orElseThrow();
        Path warehouse = root.resolve("w.duckdb");
        // free space as the fake disk has it; the folder asked about must be the warehouse's
        AtomicLong free = new AtomicLong(Long.MAX_VALUE);
        FreeSpace disk = folder -> {
            assertThat(folder).isEqualTo(warehouse.toAbsolutePath().getParent());
            return free.get();
        };
        try (DuckDbEngine engine = DuckDbEngine.open(warehouse, 0, null, List.of(root))) {
            Catalog catalog = Catalog.open(engine);
            assertThat(build(engine, catalog, project, plan, events, disk, 1).status()).isEqualTo(ModelStatus.SUCCESS);
            try (Session session = engine.session()) {
                session.execute("CHECKPOINT");
            }

            // a full disk: refused before anything is staged
            free.set(1024);
            ModelResult full = build(engine, catalog, project, plan, events, disk, 2);
            assertThat(full.status()).isEqualTo(ModelStatus.FAILED);
            assertThat(full.error()).startsWith("Cannot build model events (models/events.sql): Cannot write model "
                    + "events (models/events.sql) into the warehouse " + warehouse.toAbsolutePath() + ": its table "
                    + "needs about ")
                    .contains("written 2 times by DuckDB's write-ahead log and checkpoint, with a 50% margin, at "
                            + "least 16.0 MiB), but only 1.0 KiB is free; free some space or move the warehouse "
                            + "(warehouse: in sluice.yml) to a disk with room. Nothing was written and the published "
                            + "table is unchanged");

            // room for the floor, not for three times the table it replaces
            long published;
            try (Session session = engine.session()) {
                published = new StorageOptimizer(catalog, disk, Map.of(), 256L << 20, root).publishedBytes(session,
                        events.model());
            }
            assertThat(published).isGreaterThan(10L << 20);
            free.set(Math.max(published * 2, 17L << 20));
            ModelResult tight = build(engine, catalog, project, plan, events, disk, 3);
            assertThat(tight.status()).isEqualTo(ModelStatus.FAILED);
            assertThat(tight.error()).contains("into the warehouse").contains("Nothing was written");

            try (Session session = engine.session()) {
                assertThat(session.query("SELECT count(*) FROM main.events").singleLong()).isEqualTo(200_000);
                assertThat(session.query("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE "
                        + "'events__%'").singleLong()).isZero();
                assertThat(session.query("SELECT status FROM sluice.model_runs ORDER BY run_id").values())
                        .containsExactly(List.of("success"), List.of("failed"), List.of("failed"));
            }
            free.set(Long.MAX_VALUE);
            assertThat(build(engine, catalog, project, plan, events, disk, 4).status()).isEqualTo(ModelStatus.SUCCESS);
        }
    }

    /**
     * An increment is checked against its own staged size (written twice, with the margin), not only the 16 MiB
     * floor: room for the floor is not room for 200,000 new rows of about 100 bytes each.
     */
    @Test
    void anIncrementIsCheckedAgainstItsStagedSizeNotOnlyTheFloor() throws IOException {
        Path root = ProjectFixture.at(dir.resolve("p")).write("sluice.yml", "name: p\n").getParent();
        String rows = "SELECT i AS id, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) || md5((i + 2)::VARCHAR) AS text "
                + "FROM range(200000) r(i)";
        ProjectFixture.at(root).write("models/events.sql", "/*---\nmaterialized: incremental\nincremental: { strategy: "
                + "append }\nparser: duckdb\n---*/\n" + rows);
        Project project = ProjectReader.read(root, Map.of());
        dev.sluice.plan.ProjectPlan plan = new Pipeline(project, "test").plan();
        PlannedModel events = plan.model("events").orElseThrow();
        AtomicLong free = new AtomicLong(Long.MAX_VALUE);
        FreeSpace disk = folder -> free.get();
        try (DuckDbEngine engine = DuckDbEngine.open(root.resolve("w.duckdb"), 0, null, List.of(root))) {
            Catalog catalog = Catalog.open(engine);
            assertThat(build(engine, catalog, project, plan, events, disk, 1).status()).isEqualTo(ModelStatus.SUCCESS);

            free.set(20L << 20);
            Increments.Increment increment = new Increments.Increment(false, rows, Map.of(), Map.of(), false,
                    "incremental");
            ModelResult refused = builder(engine, catalog, project, plan, disk, 2).build(events, List.of(),
                    "incremental", increment);

            assertThat(refused.status()).isEqualTo(ModelStatus.FAILED);
            assertThat(refused.error()).startsWith("Cannot build model events (models/events.sql): Cannot write model "
                    + "events (models/events.sql) into the warehouse ").contains("but only 20.0 MiB is free")
                    .contains("Nothing was written and the published table is unchanged");
            try (Session session = engine.session()) {
                assertThat(session.query("SELECT count(*) FROM main.events").singleLong()).isEqualTo(200_000);
            }
            free.set(Long.MAX_VALUE);
            assertThat(builder(engine, catalog, project, plan, disk, 3).build(events, List.of(), "incremental",
                    increment).status()).isEqualTo(ModelStatus.SUCCESS);
        }
    }

    private static ModelResult build(DuckDbEngine engine, Catalog catalog, Project project,
            dev.sluice.plan.ProjectPlan plan, PlannedModel model, FreeSpace disk, long runId) {
        return builder(engine, catalog, project, plan, disk, runId).build(model, List.of(), "rebuilt", null);
    }

    private static ModelBuilder builder(DuckDbEngine engine, Catalog catalog, Project project,
            dev.sluice.plan.ProjectPlan plan, FreeSpace disk, long runId) {
        return new ModelBuilder(engine, catalog, runId, text -> text, new StorageOptimizer(catalog, disk, Map.of(),
                256L << 20, project.root()), new RunInputs(project, plan, catalog), new RunEvents(null, project, plan,
                catalog, runId, engine.version(), dev.sluice.project.ColumnMasks.NONE), Map.of(), dev.sluice.project.ColumnMasks.NONE);
    }
}
