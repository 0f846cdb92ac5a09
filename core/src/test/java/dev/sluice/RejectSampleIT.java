package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed load keeps a bounded sample of its rejected lines, and says that it is a sample of how many. */
class RejectSampleIT {
    @TempDir
    Path dir;

    @Test
    void failedLoadSaysItsRejectsAreASampleOfTheTotal() {
        Path project = ProjectFixture.copyTo("reject_sample", dir.resolve("sample")).root();
        StringBuilder lines = new StringBuilder("id,name\n");
        for (int i = 0; i < 1500; i++) {
            lines.append("not a number,").append(i).append('\n');
        }
        // One line whose quote never closes, rejected before DuckDB reads the file.
        lines.append("7,\"open\n8,fine\n");
        for (String source : List.of("whole", "tracked")) {
            ProjectFixture.at(project).write("data/" + source + "/f.csv", lines.toString());
            ProjectFixture.at(project).write("models/read_" + source + ".sql", "SELECT * FROM raw." + source);
        }
        Sluice sluice = Sluice.open(project);
        RunResult result = sluice.run(RunOptions.defaults());
        assertThat(result.sources()).hasSize(2).allSatisfy(source -> {
            assertThat(source.loaded()).isFalse();
            assertThat(source.rejected()).isEqualTo(1501);
            assertThat(source.error()).contains("1501 of 1502").contains("sluice.rejects keeps a sample of 1000 of the "
                    + "1501 rejected lines (the total is in sluice.source_loads.rejected): see SELECT * FROM "
                    + "sluice.rejects WHERE run_id = " + result.runId() + ", fix the files or raise max_rejected_fraction");
        });
        assertThat(sluice.query("SELECT source, rejected, count(DISTINCT r.line), min(r.line), "
                + "count(*) FILTER (WHERE r.error_type = 'UNQUOTED VALUE'), l.error LIKE '%a sample of 1000 of the 1501%' "
                + "FROM sluice.source_loads l JOIN sluice.rejects r USING (run_id, source) GROUP BY ALL ORDER BY source")
                .rows()).containsExactly(List.of("raw.tracked", 1501L, 1000L, 2L, 1L, true),
                        List.of("raw.whole", 1501L, 1000L, 2L, 1L, true));
    }
}
