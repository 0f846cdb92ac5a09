package dev.sluice.cli;

import static dev.sluice.cli.Launcher.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Launcher.Outcome;
import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.engine.Session;
import dev.sluice.exec.WarehouseLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warehouse lock through the launcher: contention has its own exit code, a lock left by a dead process is taken
 * over and said and recorded, and the runs a dead process left running are closed by every command that writes.
 */
class WarehouseLockIT {
    private static final String DEAD = "pid 999999 on host gone since 2026-01-01T00:00";

    @TempDir
    Path dir;

    private String project;
    private Path warehouse;

    @BeforeEach
    void runOnce() {
        project = dir.resolve("shop").toString();
        assertThat(sluice("init", project).code()).isZero();
        Outcome run = sluice("run", project);
        assertThat(run.code()).as(run.err()).isZero();
        warehouse = dir.resolve("shop/target/shop.duckdb");
    }

    /** As an {@code optimize} killed with SIGKILL leaves the catalog: its run still running. */
    private void killedOptimize() {
        try (DuckDbEngine engine = DuckDbEngine.open(warehouse, 0, null); Session session = engine.session()) {
            session.execute("INSERT INTO sluice.runs VALUES (nextval('sluice.run_ids'), now(), NULL, 'running', "
                    + "'optimize', 'daily_revenue', 'DuckDB', '0.1.0', 'gone', 999999)");
        }
    }

    @Test
    void aLockHeldByAnotherProcessExitsWithFourAndNamesTheHolder() {
        try (WarehouseLock held = WarehouseLock.acquire(warehouse)) {
            for (String[] command : List.of(new String[] {"run", project}, new String[] {"test", project},
                    new String[] {"optimize", project})) {
                Outcome busy = sluice(command);
                assertThat(busy.code()).as(command[0]).isEqualTo(4);
                assertThat(busy.err()).as(command[0]).startsWith("error: Cannot run: warehouse " + warehouse
                        + " is in use by another run (pid " + ProcessHandle.current().pid() + " on host ");
            }
        }
        assertThat(sluice("--help").out()).contains("4   another process holds the warehouse; retry when it has "
                + "finished").contains("5   the warehouse is damaged, or its catalog is from a newer Sluice");
    }

    @Test
    void aStaleLockTakeOverIsSaidInTheRunOutputAndRecorded() throws IOException {
        killedOptimize();
        Files.writeString(WarehouseLock.lockFile(warehouse), DEAD);
        Outcome run = sluice("run", project);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Took over the warehouse lock left by " + DEAD + ", a process that is gone; "
                + "its run 2 marked killed (recorded in sluice.lock_takeovers)\n").contains("Run 3 succeeded");
        Outcome recorded = sluice("query", project, "SELECT command, previous_holder, runs_closed, pid = "
                + ProcessHandle.current().pid() + " AS by_this_process FROM sluice.lock_takeovers", "--format", "csv");
        assertThat(recorded.out()).isEqualToIgnoringNewLines("command,previous_holder,runs_closed,by_this_process"
                + "run," + DEAD + ",[2],true");
        assertThat(sluice("runs", project).out()).contains("Run 2  killed").contains("Run 3  success");
        // taken over once: the next run finds the lock file its predecessor emptied
        assertThat(sluice("run", project).out()).doesNotContain("Took over");
        assertThat(WarehouseLock.holder(warehouse)).isNull();
    }

    @Test
    void everyCommandThatWritesClosesTheRunsADeadProcessLeftRunning() {
        for (String[] command : List.of(new String[] {"test", project},
                new String[] {"state", "reset", project, "--model", "returns_log", "--yes"},
                new String[] {"storage", project, "--measure"}, new String[] {"optimize", project})) {
            killedOptimize();
            Outcome outcome = sluice(command);
            assertThat(outcome.code()).as(String.join(" ", command) + outcome.err()).isZero();
            Outcome running = sluice("query", project, "SELECT count(*) AS running FROM sluice.runs "
                    + "WHERE status = 'running'", "--format", "csv");
            assertThat(running.out()).as(String.join(" ", command) + running.err()).isEqualToIgnoringNewLines("running0");
        }
        Outcome runs = sluice("query", project, "SELECT command, status FROM sluice.runs WHERE pid = 999999",
                "--format", "csv");
        assertThat(runs.out().lines().toList()).containsExactly("command,status", "optimize,killed",
                "optimize,killed", "optimize,killed", "optimize,killed");
        killedOptimize();
        Outcome test = sluice("test", project);
        assertThat(test.out()).contains("Found run ").contains(" left running by a process that is gone; marked killed");
    }
}
