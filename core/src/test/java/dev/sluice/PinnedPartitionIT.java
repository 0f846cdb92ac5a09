package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pinned partition column that makes many small files (one value holding 95% of the rows, the rest spread over
 * a hundred values) is built as pinned, with a warning that gives the statistics and what the optimiser would
 * choose instead; {@code optimize} keeps the pin and says what dropping it would gain.
 */
class PinnedPartitionIT {
    @TempDir
    Path dir;

    @Test
    void aSkewedPinnedPartitionColumnIsBuiltWithAWarningAndOptimizeSaysWhatDroppingItWouldGain() {
        Path project = ProjectFixture.copyTo("pinned_skewed_partition", dir.resolve("pinned")).root();
        Sluice sluice = Sluice.open(project);
        RunResult run = sluice.run(RunOptions.defaults());
        assertThat(run.succeeded()).isTrue();
        String warning = run.model("skewed").get().warning();
        // distinct counts are approximate (HyperLogLog): about 101 partitions
        assertThat(warning).startsWith("Model skewed (models/skewed.sql) is published, but its storage settings cost "
                + "it: partition_by k makes about ")
                .containsPattern("about 10\\d partitions of 200,000 rows, one value holding 95% of them; the other "
                        + "10\\d partitions of about 0\\.\\d KiB each, below half the target file size 256\\.0 MiB: "
                        + "about 10\\d files, 10\\d of them small; without the pin the optimiser would choose "
                        + "partitioning none \\(about ")
                .endsWith("remove partition_by from the front matter to let it");
        // a pin whose partitions are few is the user's choice, with nothing to warn about
        assertThat(run.model("even").get().warning()).isNull();
        long runId = run.runId();
        assertThat(sluice.query("SELECT warning FROM sluice.model_runs WHERE run_id = " + runId + " AND model = "
                + "'main.skewed'").rows()).containsExactly(List.of(warning));
        assertThat(sluice.storageDecisions("skewed")).filteredOn(d -> d.aspect().equals("partitioning"))
                .singleElement().satisfies(d -> {
                    assertThat(d.pinned()).isTrue();
                    assertThat(d.reason()).startsWith("pinned in the model's front matter; warning: partition_by k "
                            + "makes about 10");
                });

        List<Compaction> optimized = sluice.optimizeStorage("skewed");
        assertThat(optimized).singleElement().satisfies(compaction -> {
            assertThat(compaction.rewritten()).isFalse();
            assertThat(compaction.filesBefore()).isEqualTo(101);
            assertThat(compaction.reason()).contains("; partition_by k is pinned in models/skewed.sql: its 101 files "
                    + "hold ").contains(", 101 of them below half the target size, and compaction cannot merge files "
                    + "of different partitions; without the pin the optimiser would write no partitions in about 1 "
                    + "file(s) of about ").contains("(100 fewer files, about ")
                    .endsWith("remove partition_by from the front matter and rebuild (optimize never overrides a pin)");
        });
        assertThat(sluice.optimizeStorage("even")).singleElement()
                .satisfies(compaction -> assertThat(compaction.reason()).doesNotContain("partition_by"));
    }

    /** sluice plan warns from the statistics of the published table, before the next build does. */
    @Test
    void planWarnsAboutASkewedPinFromThePublishedTablesStatistics() {
        Path project = ProjectFixture.copyTo("pinned_skewed_plan", dir.resolve("planned")).root();
        Sluice sluice = Sluice.open(project);
        // before any build there are no statistics to judge by: the first build warns itself
        assertThat(sluice.plan(RunOptions.defaults())).singleElement()
                .satisfies(step -> assertThat(step.reason()).doesNotContain("warning"));
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();

        assertThat(sluice.plan(RunOptions.defaults())).singleElement().satisfies(step -> assertThat(step.reason())
                .containsPattern("; warning, from the statistics of its published table: partition_by k makes about "
                        + "10\\d partitions of 20,000 rows, one value holding 95% of them; the other 10\\d partitions")
                .contains("without the pin the optimiser would choose partitioning none"));
    }

    /** Each increment folded into a skewed pinned lake output adds a small file per partition: it warns too. */
    @Test
    void anIncrementIntoASkewedPinnedLakeOutputWarns() {
        Path project = ProjectFixture.copyTo("pinned_skewed_lake_increment", dir.resolve("inc")).root();
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).model("ev_lake").get().warning()).isNull();

        StringBuilder rows = new StringBuilder("id,k\n");
        for (int i = 0; i < 4000; i++) {
            rows.append(i).append(',').append(i < 3800 ? 0 : i % 50 + 1).append('\n');
        }
        ProjectFixture.at(project).write("data/b.csv", rows.toString());
        RunResult run = sluice.run(RunOptions.defaults());

        assertThat(run.model("ev_lake").get().reason()).startsWith("incremental");
        assertThat(run.model("ev_lake").get().warning()).startsWith("Model ev_lake (models/ev_lake.sql) is published, "
                + "but its storage settings cost it: this increment: partition_by k makes about ")
                .contains("of 4,000 rows, one value holding 95% of them");
    }
}
