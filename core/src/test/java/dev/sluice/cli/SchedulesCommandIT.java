package dev.sluice.cli;

import static dev.sluice.ProjectFixture.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.RunOptions;
import dev.sluice.ScheduleRun;
import dev.sluice.Sluice;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulesCommandIT {
    @TempDir
    Path dir;

    @Test
    void listsTheNextDueTimesInTheZoneAndUtcWithoutAServerOrARun() {
        // 2026-03-29 02:00 does not exist in Paris (clocks go from 02:00 to 03:00): that night has no due time.
        ProjectFixture project = ProjectFixture.copy("scheduled_orders", dir);

        String output = sluice(0, "schedules", project.root().toString(), "--from", "2026-03-28T23:59:30Z",
                "--count", "2");

        assertThat(output).isEqualTo("""
                every_minute  cron "* * * * *" in UTC  --select +revenue --var min_amount=10  catch_up none  \
                max_concurrency 1
                  next   2026-03-29 00:00 UTC
                  next   2026-03-29 00:01 UTC
                  last   none recorded
                nightly  cron "0 2 * * *" in Europe/Paris  --select stg_orders --exclude revenue  catch_up none  \
                max_concurrency 1
                  next   2026-03-30 02:00 Europe/Paris (2026-03-30 00:00 UTC)
                  next   2026-03-31 02:00 Europe/Paris (2026-03-31 00:00 UTC)
                  last   none recorded
                """);
    }

    @Test
    void showsTheLastRunOfEachScheduleAndTheDueTimesMissedSince() {
        ProjectFixture project = ProjectFixture.copy("scheduled_orders", dir);
        Sluice sluice = project.open();
        Instant due = Instant.parse("2026-01-05T10:01:00Z");
        long runId = sluice.run(sluice.schedules().get(0).runOptions(due)).runId();
        sluice.recordScheduleRuns(List.of(ScheduleRun.without("nightly", Instant.parse("2026-01-05T01:00:00Z"),
                ScheduleRun.Status.SKIPPED, "1 run of the schedule was still queued or running (max_concurrency 1)")));

        String output = sluice(0, "schedules", project.root().toString(), "--from", "2026-01-05T10:04:30Z", "-n", "1");

        assertThat(output).isEqualTo("""
                every_minute  cron "* * * * *" in UTC  --select +revenue --var min_amount=10  catch_up none  \
                max_concurrency 1
                  next   2026-01-05 10:05 UTC
                  last   2026-01-05 10:01 UTC  started run %d (success)
                  missed 3 due times since the last recorded one, while no server ran; catch_up none applies when \
                sluice serve starts
                nightly  cron "0 2 * * *" in Europe/Paris  --select stg_orders --exclude revenue  catch_up none  \
                max_concurrency 1
                  next   2026-01-06 02:00 Europe/Paris (2026-01-06 01:00 UTC)
                  last   2026-01-05 02:00 Europe/Paris (2026-01-05 01:00 UTC)  skipped: 1 run of the schedule was \
                still queued or running (max_concurrency 1)
                  missed none since the last recorded due time
                """.formatted(runId));
        assertThat(sluice(0, "runs", project.root().toString(), "-n", "1"))
                .startsWith("Run " + runId + "  success ")
                .contains("--select +revenue --var min_amount=10  (schedule every_minute)\n");
    }

    @Test
    void refusesABadCountAndSaysWhenThereAreNoSchedules() {
        ProjectFixture project = ProjectFixture.copy("basic", dir);

        assertThat(sluice(0, "schedules", project.root().toString())).isEqualTo(
                "No schedules: add them under schedules: in sluice.yml (see the README, Schedules).\n");
        assertThat(sluice(2, "schedules", project.root().toString(), "--count", "0"))
                .contains("Cannot list schedules with --count 0: use 1 or more");
    }

    @Test
    void aRunByHandIsRecordedWithoutASchedule() {
        ProjectFixture project = ProjectFixture.copy("scheduled_orders", dir);
        project.run(RunOptions.defaults());

        assertThat(project.open().runs(1).get(0).schedule()).isNull();
        assertThat(project.open().scheduleRuns(null, 5)).isEmpty();
        assertThat(sluice(0, "runs", project.root().toString(), "-n", "1")).doesNotContain("(schedule");
    }
}
