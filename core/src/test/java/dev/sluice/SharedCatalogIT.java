package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.exec.FaultPoints;
import dev.sluice.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline whose catalog is in PostgreSQL ({@code catalog: { type: postgres }}): the data commits in the warehouse
 * with the catalog's writes in its outbox, the catalog follows; a run killed, or a catalog that fails, between the two
 * is reconciled by the next open, never lost nor applied twice.
 */
class SharedCatalogIT {
    private static final AtomicInteger PROJECTS = new AtomicInteger();
    private static String database;

    @TempDir
    Path dir;

    @BeforeAll
    static void server() {
        database = PostgresServer.newDatabase("shared_catalog");
    }

    @AfterEach
    void disarm() {
        FaultPoints.disarm(FaultPoints.AFTER_COMMIT);
        FaultPoints.disarm(FaultPoints.COMMIT);
    }

    /** The killed_incremental scenario with its catalog in a schema of its own; returns the schema. */
    private String project(Path project) throws Exception {
        ProjectFixture.copyTo("killed_incremental", project);
        String schema = "sluice_inc_" + PROJECTS.incrementAndGet();
        Files.writeString(project.resolve("sluice.yml"), "catalog:\n  type: postgres\n  url: "
                + PostgresServer.url(database) + "\n  user: " + PostgresServer.user() + "\n  schema: " + schema + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        writeCsv(project.resolve("data/a.csv"), 0, 1000);
        return schema;
    }

    @Test
    void theCatalogIsInPostgresAndTheWarehouseHoldsOnlyTheData() throws Exception {
        Path project = dir.resolve("p");
        String schema = project(project);
        Sluice sluice = Sluice.open(project);

        RunResult result = sluice.run(RunOptions.defaults());

        assertThat(result.succeeded()).isTrue();
        long runId = sluice.runs(1).get(0).runId();
        assertThat(sluice.modelRuns(runId)).extracting(ModelRun::model, ModelRun::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("main.events_inc", "success"));
        assertThat(catalogRows("SELECT model, status, rows FROM " + schema + ".model_runs"))
                .containsExactly(List.of("main.events_inc", "success", 1000L));
        assertThat(catalogRows("SELECT source, count(*) FROM " + schema + ".file_manifest GROUP BY source"))
                .containsExactly(List.of("raw.events", 1L));
        assertThat(sluice.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'sluice'")
                .rows()).containsExactly(List.of(0L));
        assertThat(sluice.query("SELECT count(*) FROM sluice_outbox.pending").rows()).containsExactly(List.of(0L));
        // the plan cache is kept with the rest of the catalog, where the next plan finds it
        assertThat(catalogRows("SELECT count(*) FROM " + schema + ".plan_cache")).containsExactly(List.of(1L));
        assertThat(Sluice.open(project).run(RunOptions.defaults()).succeeded()).isTrue();
        assertThat(catalogRows("SELECT count(*) FROM " + schema + ".runs WHERE status = 'success'"))
                .containsExactly(List.of(2L));
    }

    @Test
    void aCatalogThatFailsAfterTheDataCommittedIsCaughtUpByTheNextOpen() throws Exception {
        Path project = dir.resolve("p");
        String schema = project(project);
        // the catalog refuses the model's records after its data committed (its table gone for a moment)
        FaultPoints.arm(FaultPoints.AFTER_COMMIT, (model, session) -> catalog("ALTER TABLE " + schema
                + ".model_runs RENAME TO model_runs_away"));
        RunResult first = Sluice.open(project).run(RunOptions.defaults());
        FaultPoints.disarm(FaultPoints.AFTER_COMMIT);
        catalog("ALTER TABLE " + schema + ".model_runs_away RENAME TO model_runs");
        // the data is published; the catalog is behind until the next open replays what the warehouse kept
        assertThat(first.succeeded()).isTrue();
        assertThat(catalogRows("SELECT count(*) FROM " + schema + ".runs WHERE status = 'success'"))
                .containsExactly(List.of(1L));
        assertThat(catalogRows("SELECT count(*) FROM " + schema + ".model_runs")).containsExactly(List.of(0L));

        Sluice next = Sluice.open(project);
        RunResult rerun = next.run(RunOptions.defaults());

        assertThat(rerun.succeeded()).isTrue();
        // the first run's build is recorded (replayed from the warehouse), once; the rerun found nothing new
        assertThat(catalogRows("SELECT run_id, status, rows FROM " + schema + ".model_runs ORDER BY run_id"))
                .extracting(row -> row.get(1)).containsExactly("success", "up_to_date");
        assertThat(catalogRows("SELECT count(*) FROM " + schema + ".file_manifest")).containsExactly(List.of(1L));
        assertThat(next.query("SELECT count(*), count(DISTINCT id) FROM main.events_inc").rows())
                .containsExactly(List.of(1000L, 1000L));
        assertThat(next.query("SELECT count(*) FROM sluice_outbox.pending").rows()).containsExactly(List.of(0L));
    }

    @Test
    void aRunKilledAfterItsDataCommittedIsRecordedByTheNextRun() throws Exception {
        Path project = dir.resolve("p");
        String schema = project(project);
        Process run = ForkedLauncher.in(dir).startPaused(FaultPoints.AFTER_COMMIT + ":events_inc", "run",
                project.toString(), "--threads", "1");
        run.destroyForcibly();
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(catalogRows("SELECT count(*) FROM " + schema + ".model_runs")).containsExactly(List.of(0L));

        Sluice next = Sluice.open(project);
        RunResult rerun = next.run(RunOptions.defaults());

        assertThat(rerun.succeeded()).isTrue();
        assertThat(catalogRows("SELECT r.status, m.status FROM " + schema + ".model_runs m JOIN " + schema
                + ".runs r USING (run_id) ORDER BY run_id")).containsExactly(List.of("killed", "success"),
                        List.of("success", "up_to_date"));
        assertThat(next.query("SELECT count(*), count(DISTINCT id) FROM main.events_inc").rows())
                .containsExactly(List.of(1000L, 1000L));
    }

    @Test
    void aRunWaitsForNoOneButIsRefusedWhileAnotherMachineHoldsTheProjectAndTakesOverAStaleHolder() throws Exception {
        Path project = dir.resolve("p");
        String schema = project(project);
        assertThat(Sluice.open(project).run(RunOptions.defaults()).succeeded()).isTrue();
        // another machine runs the same project (its row, its heartbeat fresh)
        catalog("INSERT INTO " + schema + ".run_locks VALUES ('run', 'machine-b', 4242, 'run', 9, 'theirs', "
                + "now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')");

        SluiceException refused = ProjectFixture.failure(() -> Sluice.open(project).run(RunOptions.defaults()));

        assertThat(refused.code()).isEqualTo(ErrorCode.WAREHOUSE_LOCKED);
        assertThat(refused.getMessage()).contains("is in use by pid 4242 on host machine-b (run run 9, since ");
        // a second project on the same database runs meanwhile
        Path other = dir.resolve("other");
        project(other);
        assertThat(Sluice.open(other).run(RunOptions.defaults()).succeeded()).isTrue();

        catalog("UPDATE " + schema + ".run_locks SET heartbeat_at = heartbeat_at - INTERVAL '2 minutes'");
        RunResult taken = Sluice.open(project).run(RunOptions.defaults());

        assertThat(taken.succeeded()).isTrue();
        assertThat(catalogRows("SELECT command, previous_holder LIKE 'pid 4242 on host machine-b (run run 9, since %' "
                + "FROM " + schema + ".lock_takeovers")).containsExactly(List.of("run", true));
        assertThat(catalogRows("SELECT count(*) FROM " + schema + ".run_locks")).containsExactly(List.of(0L));
    }

    @Test
    void aRunWhoseLockWasTakenOverPublishesNothingMore() throws Exception {
        Path project = dir.resolve("p");
        String schema = project(project);
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        writeCsv(project.resolve("data/b.csv"), 1000, 500);
        // while the run stands just before its commit, another machine finds its heartbeat stale and takes over
        FaultPoints.arm(FaultPoints.COMMIT, (model, session) -> catalog("UPDATE " + schema + ".run_locks SET "
                + "host = 'machine-b', pid = 4242, token = 'theirs', heartbeat_at = now() AT TIME ZONE 'UTC'"));

        RunResult second = sluice.run(RunOptions.defaults());

        assertThat(second.succeeded()).isFalse();
        assertThat(second.models()).singleElement().satisfies(model -> assertThat(model.error())
                .contains("Cannot commit: the project's run lock in catalog ")
                .contains(" was taken over by another holder (this run's heartbeat had stopped for over 60 s); "
                        + "nothing of it is published; run again once the other holder has finished"));
        // the published table is as the first run left it; the new holder keeps its lock
        assertThat(sluice.query("SELECT count(*) FROM main.events_inc").rows()).containsExactly(List.of(1000L));
        assertThat(catalogRows("SELECT host, pid FROM " + schema + ".run_locks"))
                .containsExactly(List.of("machine-b", 4242L));
        // once the other machine is done, the next run folds in the rows the refused build held back, once
        FaultPoints.disarm(FaultPoints.COMMIT);
        catalog("DELETE FROM " + schema + ".run_locks");
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        assertThat(sluice.query("SELECT count(*), count(DISTINCT id) FROM main.events_inc").rows())
                .containsExactly(List.of(1500L, 1500L));
    }

    private static void catalog(String sql) {
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<List<Object>> catalogRows(String sql) throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    Object value = result.getObject(i);
                    row.add(value instanceof Integer number ? (Object) number.longValue() : value);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static void writeCsv(Path file, long firstId, long rows) throws Exception {
        Files.createDirectories(file.getParent());
        StringBuilder csv = new StringBuilder("id,user_id,amount\n");
        for (long i = 0; i < rows; i++) {
            csv.append(firstId + i).append(',').append(i % 100).append(',').append(i % 97).append('\n');
        }
        Files.writeString(file, csv);
    }
}
