package dev.sluice.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.RunListener;
import dev.sluice.ProjectFixture;
import dev.sluice.plan.PlannedModel;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.ProjectReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a run ends while a build is still running (here an Error in another build ends it), the scheduler returns
 * only once that build has returned: its caller closes the engine and the warehouse lock right after.
 */
class SchedulerShutdownTest {
    @TempDir
    Path dir;

    @Test
    void anEndedRunWaitsForTheBuildsStillRunning() throws Exception {
        Path root = ProjectFixture.at(dir.resolve("p")).write("sluice.yml", "name: p\n").getParent();
        ProjectFixture.at(root).write("models/breaks.sql", "SELECT 1 AS x");
        ProjectFixture.at(root).write("models/slow.sql", "SELECT 2 AS y");
        ProjectPlan plan = new Pipeline(ProjectReader.read(root, Map.of()), "test").plan();

        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch slowInterrupted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean slowReturned = new AtomicBoolean();
        Scheduler scheduler = new Scheduler(plan, plan.models(), Map.of(), 2, false, RunListener.NONE, model -> {
            if (model.name().equals("breaks")) {
                awaitQuietly(slowStarted);
                throw new AssertionError("build broke");
            }
            slowStarted.countDown();
            // Like a DuckDB statement: the pool's interrupt is noticed but does not stop the work in progress.
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                slowInterrupted.countDown();
            }
            awaitQuietly(release);
            slowReturned.set(true);
            return outcome(model, ModelStatus.SUCCESS);
        }, (model, notBuilt) -> outcome(model, notBuilt.status()), (model, e) -> outcome(model, ModelStatus.FAILED));

        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean slowReturnedWhenRunEnded = new AtomicBoolean();
        Thread run = new Thread(() -> {
            try {
                scheduler.run(Map.of());
            } catch (Throwable e) {
                thrown.set(e);
            }
            slowReturnedWhenRunEnded.set(slowReturned.get());
        });
        run.start();
        slowInterrupted.await();
        // The run has ended (the pool was shut down): it either returned at once, or waits for the slow build.
        while (run.isAlive() && run.getState() != Thread.State.WAITING && run.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        release.countDown();
        run.join();

        assertThat(thrown.get()).isInstanceOf(AssertionError.class).hasMessage("build broke");
        assertThat(slowReturnedWhenRunEnded.get()).as("the slow build had returned when the run ended").isTrue();
    }

    private static ModelResult outcome(PlannedModel model, ModelStatus status) {
        return new ModelResult(model.name(), model.model().qualifiedName(), "view", status, null, Duration.ZERO,
                null, null, List.of());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // keep waiting: the test decides when the build returns
            }
        }
    }
}
