package dev.sluice.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ErrorCode;
import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.QualityResult;
import dev.sluice.SluiceException;
import dev.sluice.ProjectFixture;
import dev.sluice.catalog.Catalog;
import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.engine.Session;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectReader;
import dev.sluice.quality.Rule;
import dev.sluice.storage.StorageOptimizer;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committer's phases, in order, with a hand-written work: what fails before the commit and what after it. */
class CommitterTest {
    @TempDir
    Path dir;

    /** A work that logs its phases and throws in the one named {@code failIn}. */
    private static final class FakeWork implements Committer.Work {
        private final ModelBuilder builder;
        private final PlannedModel planned;
        private final String failIn;
        final List<String> phases = new ArrayList<>();

        FakeWork(ModelBuilder builder, PlannedModel planned, String failIn) {
            this.builder = builder;
            this.planned = planned;
            this.failIn = failIn;
        }

        private void phase(String name) {
            phases.add(name);
            if (name.equals(failIn)) {
                throw new SluiceException(ErrorCode.RUN_FAILED, "%s failed", name);
            }
        }

        @Override
        public String what() {
            return "model";
        }

        @Override
        public BuildKind kind() {
            return BuildKind.FULL;
        }

        @Override
        public String stage(Session session) {
            session.execute("CREATE TABLE main.t__sluice_staging AS SELECT 1 AS a");
            phase("stage");
            return null;
        }

        @Override
        public List<Rule> stagedRules() {
            return List.of();
        }

        @Override
        public Committer.Published publish(Session session, Path claimed) {
            session.execute("ALTER TABLE main.t__sluice_staging RENAME TO t");
            phase("publish");
            return new Committer.Published(1L, null, null);
        }

        @Override
        public Committer.Recorded record(Session session, Committer.Published published,
                List<QualityResult> quality) {
            phase("record");
            return new Committer.Recorded(builder.result(planned.model(), ModelStatus.SUCCESS, 1L, System.nanoTime(),
                    "new", null, quality), "[]", 1L, "SELECT 1 AS a");
        }

        @Override
        public Long afterCommit(Session session, Committer.Published published) {
            phase("afterCommit");
            return null;
        }
    }

    private record Fixture(DuckDbEngine engine, ModelBuilder builder, PlannedModel planned) {
    }

    private Fixture fixture() {
        Path root = ProjectFixture.at(dir.resolve("p")).write("sluice.yml", "name: p\n").getParent();
        ProjectFixture.at(root).write("models/t.sql", "/*---\nmaterialized: table\n---*/\nSELECT 1 AS a");
        Project project = ProjectReader.read(root, Map.of());
        dev.sluice.plan.ProjectPlan plan = new Pipeline(project, "test").plan();
        DuckDbEngine engine = DuckDbEngine.open(root.resolve("w.duckdb"), 0, null, List.of(root));
        Catalog catalog = Catalog.open(engine);
        ModelBuilder builder = new ModelBuilder(engine, catalog, 1, text -> text, new StorageOptimizer(catalog,
                folder -> Long.MAX_VALUE, Map.of(), 256L << 20, root), new RunInputs(project, plan, catalog),
                new RunEvents(null, project, plan, catalog, 1, engine.version(), dev.sluice.project.ColumnMasks.NONE), Map.of(), dev.sluice.project.ColumnMasks.NONE);
        return new Fixture(engine, builder, plan.model("t").orElseThrow());
    }

    private static List<List<Object>> runs(Session session) {
        return session.query("SELECT status, build_kind, error IS NULL, warning FROM sluice.model_runs").values();
    }

    @Test
    void aFailureAfterTheCommitIsAWarningOnTheOneRecordedSuccess() {
        Fixture fixture = fixture();
        try (DuckDbEngine engine = fixture.engine(); Session session = engine.session()) {
            FakeWork work = new FakeWork(fixture.builder(), fixture.planned(), "afterCommit");
            ModelResult result = fixture.builder().committer.commit(fixture.planned(), work, "new",
                    LocalDateTime.now(), System.nanoTime()).model();
            assertThat(work.phases).containsExactly("stage", "publish", "record", "afterCommit");
            assertThat(result.status()).isEqualTo(ModelStatus.SUCCESS);
            String warning = "Cannot finish after publishing model t (models/t.sql): afterCommit failed; the published "
                    + "table is complete, only cleaning up older versions or measuring it did not finish (the next "
                    + "build cleans up)";
            assertThat(result.warning()).isEqualTo(warning);
            assertThat(runs(session)).containsExactly(Arrays.asList("success", "full", true, warning));
            assertThat(session.query("SELECT a FROM main.t").values()).containsExactly(List.of(1));
        }
    }

    @Test
    void aFailureBeforeTheCommitRollsBackTheDataAndRecordsOneFailure() {
        Fixture fixture = fixture();
        try (DuckDbEngine engine = fixture.engine(); Session session = engine.session()) {
            FakeWork work = new FakeWork(fixture.builder(), fixture.planned(), "record");
            ModelResult result = fixture.builder().committer.commit(fixture.planned(), work, "new",
                    LocalDateTime.now(), System.nanoTime()).model();
            assertThat(work.phases).containsExactly("stage", "publish", "record");
            assertThat(result.status()).isEqualTo(ModelStatus.FAILED);
            assertThat(result.error()).isEqualTo("Cannot build model t (models/t.sql): record failed");
            assertThat(runs(session)).containsExactly(Arrays.asList("failed", null, false, null));
            assertThat(session.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main'")
                    .singleLong()).isZero();
        }
    }
}
