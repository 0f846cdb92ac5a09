package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner binds a manifest-tracked files source that has loaded rows from its loaded columns and the files its
 * next load reads (the listing compared with the manifest), never from the files the manifest says are loaded.
 */
class ManifestPlanningIT {
    @TempDir
    Path dir;

    @Test
    void plansFromTheLoadedColumnsWidenedByTheFilesTheNextLoadReads() throws Exception {
        ProjectFixture fixture = ProjectFixture.copy("evolving_events", dir.resolve("evolve"));
        fixture.replace("models/events_inc.sql", "on_schema_change: fail", "on_schema_change: append_new_columns");
        assertThat(fixture.run().succeeded()).isTrue();
        assertThat(columns(fixture)).containsExactly("id BIGINT", "kind VARCHAR", "amount BIGINT");

        // A loaded file rewritten with the same size and time is unchanged to the manifest: its new header is not
        // what the loaded table holds, and globbing the files would have planned it.
        Path loaded = fixture.root().resolve("data/a.csv");
        FileTime time = Files.getLastModifiedTime(loaded);
        Files.writeString(loaded, "id,kind,amounx\n1,x,10\n2,y,20\n");
        Files.setLastModifiedTime(loaded, time);
        assertThat(columns(fixture)).containsExactly("id BIGINT", "kind VARCHAR", "amount BIGINT");

        // A new file brings a column and retypes another: planned as the load will widen the table.
        fixture.write("data/b.csv", "id,kind,amount,channel\n3,z,thirty,web\n");
        assertThat(columns(fixture)).containsExactly("id BIGINT", "kind VARCHAR", "amount VARCHAR", "channel VARCHAR");
    }

    @Test
    void aRunLoadsTheFilesItsPlanBoundAndAFileArrivingAfterPlanningWaitsForTheNextRun() {
        ProjectFixture fixture = ProjectFixture.copy("evolving_events", dir.resolve("handover"));
        assertThat(fixture.run().succeeded()).isTrue();
        fixture.write("data/b.csv", "id,kind,amount\n3,z,30\n");

        // c.csv lands after the run planned (listing the files), before its load: the load reads what was planned.
        RunResult run = fixture.open().run(RunOptions.defaults(), new RunListener() {
            @Override
            public void runStarted(long runId) {
                fixture.write("data/c.csv", "id,kind,amount\n4,w,40\n");
            }
        });

        assertThat(run.succeeded()).isTrue();
        assertThat(detection(fixture, run.runId())).containsExactly(2L, 1L);
        assertThat(fixture.query("SELECT id FROM events_inc ORDER BY id").rows())
                .containsExactly(List.of(1L), List.of(2L), List.of(3L));

        RunResult next = fixture.run();
        assertThat(next.succeeded()).isTrue();
        assertThat(detection(fixture, next.runId())).containsExactly(3L, 1L);
        assertThat(fixture.query("SELECT id FROM events_inc ORDER BY id").rows())
                .containsExactly(List.of(1L), List.of(2L), List.of(3L), List.of(4L));
    }

    /** Files seen and new files the run's load of raw.events found. */
    private static List<Object> detection(ProjectFixture fixture, long runId) {
        return fixture.query("SELECT files_seen, new_files FROM sluice.detections WHERE run_id = " + runId).rows()
                .get(0);
    }

    private static List<String> columns(ProjectFixture fixture) {
        ModelInfo model = Sluice.open(fixture.root()).models().stream()
                .filter(info -> info.name().equals("events_inc")).findFirst().orElseThrow();
        return model.columns().stream().map(column -> column.name() + " " + column.type()).toList();
    }
}
