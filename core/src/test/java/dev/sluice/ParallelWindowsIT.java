package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windowed models reading one source, built at the same time, never conflict on the catalog's keys. */
class ParallelWindowsIT {
    private static final int MODELS = 6;
    private static final int RUNS = 5;

    @TempDir
    Path dir;

    @Test
    void windowedModelsOverOneSourceBuildInParallelRunAfterRun() throws Exception {
        Path project = ProjectFixture.copyTo("parallel_windows", dir.resolve("par")).root();
        for (int i = 0; i < MODELS; i++) {
            ProjectFixture.at(project).write("models/per_" + i + ".sql", """
                    /*---
                    materialized: incremental
                    time: { column: bucket, input_column: ts, grain: %d minutes, start: 2024-01-01, lateness: 1 day }
                    ---*/
                    SELECT time_bucket(INTERVAL %d MINUTE, ts, TIMESTAMP '2024-01-01') AS bucket, count(*) AS events,
                           sum(amount) AS amount
                    FROM raw.events
                    GROUP BY 1
                    """.formatted(10 * (i + 1), 10 * (i + 1)));
        }
        Sluice sluice = Sluice.open(project);
        for (int run = 0; run < RUNS; run++) {
            StringBuilder rows = new StringBuilder("id,ts,amount\n");
            for (int row = 0; row < 10_000; row++) {
                long id = run * 10_000L + row;
                // a day per run, and a few rows late into the day before
                String day = row % 100 == 0 && run > 0 ? "2024-01-0" + run : "2024-01-0" + (run + 1);
                rows.append(id).append(',').append(day).append(' ').append(String.format("%02d:%02d:00", row % 24,
                        row % 60)).append(',').append(row % 7).append('\n');
            }
            Path file = ProjectFixture.at(project).write("data/day" + run + ".csv", rows.toString());
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(run)));

            RunResult result = sluice.run(RunOptions.defaults().withThreads(4));
            assertThat(result.models()).as(result.toString()).hasSize(MODELS)
                    .allSatisfy(model -> assertThat(model.status()).as(model.error()).isEqualTo(ModelStatus.SUCCESS));
            // Arrival statistics per source and loading run, written once, whichever model measured them first.
            assertThat(sluice.query("SELECT count(*), count(DISTINCT run_id) FROM sluice.arrival_lateness").rows())
                    .containsExactly(List.of((long) run + 1, (long) run + 1));
            for (int i = 0; i < MODELS; i++) {
                // Every event of the complete intervals counted once, the late ones included.
                assertThat(sluice.query("SELECT (SELECT sum(events) FROM per_" + i + ") = (SELECT count(*) FROM "
                        + "raw.events WHERE ts < (SELECT max(interval_end) FROM sluice.intervals WHERE model = "
                        + "'main.per_" + i + "'))").rows()).as("per_" + i).containsExactly(List.of(true));
            }
        }
    }
}
