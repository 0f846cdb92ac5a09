package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.exec.WarehouseLock;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run killed with SIGKILL in a forked JVM leaves every published table intact and the next run completes. */
class KilledRunIT {
    /** Distinct user ids in 30M events drawn from 1M: every one of them (a miss has odds of about 1e-7). */
    private static final long ALL_USERS = 1_000_000;

    @TempDir
    Path dir;

    private Path project(long rows) {
        Path project = dir.resolve("p");
        TestProjects.write(project, "sluice.yml", """
                name: p
                warehouse: target/p.duckdb
                sources:
                  raw.events:
                    type: synthetic
                    rows: %d
                    columns:
                      id: { type: BIGINT, generator: sequence }
                      user_id: { type: BIGINT, generator: reference, max: 1000000 }
                      amount: { type: DOUBLE, generator: uniform, min: 0, max: 100 }
                """.formatted(rows));
        TestProjects.write(project, "models/per_user.sql", """
                /*---
                materialized: table
                ---*/
                SELECT user_id, count(*) AS events, sum(amount) AS amount FROM raw.events GROUP BY user_id
                """);
        TestProjects.write(project, "models/ranked.sql", """
                /*---
                materialized: table
                ---*/
                SELECT user_id, amount, row_number() OVER (ORDER BY amount DESC, user_id) AS position FROM per_user
                """);
        return project;
    }

    @Test
    void killedRunLeavesPublishedTablesAndTheNextRunCompletes() throws Exception {
        Path project = project(1000);
        Sluice small = Sluice.open(project);
        assertThat(small.run(RunOptions.defaults()).succeeded()).isTrue();
        long publishedUsers = count(small, "main.per_user");

        // Large enough that the forked run is still building when it is killed, at several points in turn.
        project(30_000_000);
        for (long delayMillis : new long[] {1500, 4000, 7000}) {
            Process run = fork(project);
            waitForLock(Sluice.open(project).project().warehouse(), run);
            // A second writer from another process is refused at once, naming the holder.
            assertThatThrownBy(() -> Sluice.open(project).run(RunOptions.defaults()))
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining("in use by another run (pid " + run.pid() + " on host");
            Thread.sleep(delayMillis);
            run.destroyForcibly();
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();

            // Each table is wholly the old version or wholly the new one, never a part of either.
            Sluice afterKill = Sluice.open(project);
            assertThat(count(afterKill, "main.per_user")).isIn(publishedUsers, ALL_USERS);
            assertThat(count(afterKill, "main.ranked")).isIn(publishedUsers, ALL_USERS);
            assertThat(afterKill.query("SELECT sum(events) FROM main.per_user").rows().get(0).get(0))
                    .isIn(java.math.BigInteger.valueOf(1000), java.math.BigInteger.valueOf(30_000_000),
                            java.math.BigDecimal.valueOf(1000), java.math.BigDecimal.valueOf(30_000_000));
            assertThat(afterKill.query("SELECT count(*) FROM information_schema.tables "
                    + "WHERE table_name LIKE '%sluice_staging%'").rows()).containsExactly(List.of(0L));
        }

        project(1000);
        Sluice next = Sluice.open(project);
        RunResult result = next.run(RunOptions.defaults());
        assertThat(result.succeeded()).isTrue();
        assertThat(count(next, "main.ranked")).isEqualTo(count(next, "main.per_user")).isEqualTo(publishedUsers);
        assertThat(next.runs(10)).extracting(r -> r.status()).contains("killed");
    }

    private static long count(Sluice sluice, String relation) {
        return ((Number) sluice.query("SELECT count(*) FROM " + relation).rows().get(0).get(0)).longValue();
    }

    private Process fork(Path project) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                "dev.sluice.cli.Main", "run", project.toString(), "--threads", "1")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("forked.log").toFile())
                .start();
    }

    /** Waits until the forked run holds the warehouse lock, so the kill lands inside the run. */
    private static void waitForLock(Path warehouse, Process run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && run.isAlive()) {
            String holder = WarehouseLock.holder(warehouse);
            if (holder != null && holder.startsWith("pid " + run.pid() + " ")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the forked run never took the lock; see its log in " + warehouse.getParent()
                + File.separator + "..");
    }
}
