package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merge model's result does not depend on how its input files were batched into runs: within one batch, the row
 * loaded last (or the greatest order_by) wins for a key, on full and incremental builds alike.
 */
class MergeBatchingIT {
    private static final List<String> FILES = List.of("9,z,1\n", "1,a,10\n", "1,b,5\n");
    /** Every way to cut f0, f1, f2 into consecutive runs. */
    private static final List<List<List<Integer>>> BATCHINGS = List.of(
            List.of(List.of(0, 1, 2)),
            List.of(List.of(0), List.of(1, 2)),
            List.of(List.of(0, 1), List.of(2)),
            List.of(List.of(0), List.of(1), List.of(2)));
    /** The row loaded last wins: f2's. */
    private static final List<List<Object>> LATEST = List.of(List.of(1L, "b", 5L), List.of(9L, "z", 1L));
    /** The greatest updated_at wins: f1's. */
    private static final List<List<Object>> NEWEST = List.of(List.of(1L, "a", 10L), List.of(9L, "z", 1L));

    @TempDir
    Path dir;

    /**
     * The merge_batching scenario in {@code dir}: merge models keeping the row loaded last and the greatest order_by,
     * as tables and as Parquet lakes (folded by the lake writer).
     */
    private static Path project(Path dir) {
        return ProjectFixture.copy("merge_batching", dir).root();
    }

    private static void file(Path project, int index) throws Exception {
        Path file = ProjectFixture.at(project).write("data/f" + index + ".csv", "id,name,updated_at\n" + FILES.get(index));
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(1_700_000_000L + index)));
    }

    private static void assertResult(Sluice sluice, String when) {
        assertThat(sluice.query("SELECT * FROM latest ORDER BY id").rows()).as("latest " + when).isEqualTo(LATEST);
        assertThat(sluice.query("SELECT * FROM newest ORDER BY id").rows()).as("newest " + when).isEqualTo(NEWEST);
        assertThat(sluice.query("SELECT * FROM latest_lake ORDER BY id").rows()).as("latest_lake " + when)
                .isEqualTo(LATEST);
        assertThat(sluice.query("SELECT * FROM newest_lake ORDER BY id").rows()).as("newest_lake " + when)
                .isEqualTo(NEWEST);
    }

    @Test
    void everyBatchingGivesTheFullBuildsResult() throws Exception {
        for (List<List<Integer>> batching : BATCHINGS) {
            Path project = project(dir.resolve("batching" + BATCHINGS.indexOf(batching)));
            Sluice sluice = Sluice.open(project);
            for (List<Integer> batch : batching) {
                for (int index : batch) {
                    file(project, index);
                }
                assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
            }
            assertResult(sluice, "after runs " + batching);
            assertThat(sluice.run(RunOptions.defaults().withFullRefresh()).model("latest").get().reason())
                    .contains("full refresh");
            assertResult(sluice, "after --full-refresh of " + batching);
            for (String model : List.of("latest", "newest", "latest_lake", "newest_lake")) {
                sluice.resetState(model);
            }
            assertThat(sluice.run(RunOptions.defaults()).model("newest").get().reason()).contains("rebuilt in full");
            assertResult(sluice, "after state reset of " + batching);
        }
    }

    @Test
    void rowLoadedLastWinsAcrossRowGroupsAndThreads() throws Exception {
        Path project = project(dir.resolve("large"));
        StringBuilder rows = new StringBuilder("id,name,updated_at\n");
        for (int i = 0; i < 300_000; i++) {
            rows.append(i % 1000).append(",n").append(i).append(",0\n");
        }
        ProjectFixture.at(project).write("data/big.csv", rows.toString());
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults().withThreads(4)).succeeded()).isTrue();
        // The last of the 300 rows of each key, in file order, is the one kept.
        assertThat(sluice.query("SELECT count(*), count(*) FILTER (WHERE name = 'n' || (299000 + id)) FROM latest")
                .rows()).containsExactly(List.of(1000L, 1000L));
        assertThat(sluice.query("SELECT count(*), count(*) FILTER (WHERE name = 'n' || (299000 + id)) FROM newest")
                .rows()).containsExactly(List.of(1000L, 1000L));
    }
}
