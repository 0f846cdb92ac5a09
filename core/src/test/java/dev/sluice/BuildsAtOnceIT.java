package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many models a run builds at once: on DuckDB one by default (each statement already runs on every core: a second
 * build would only compete for them and hold its memory beside the first's), as many as the run or the project asks.
 */
class BuildsAtOnceIT {
    @TempDir
    Path dir;

    /** Three table models that read only the source: nothing orders them, so a pool of two starts two at once. */
    private Path project(String defaults) {
        ProjectFixture project = ProjectFixture.copy("synthetic_items", dir);
        project.replace("sluice.yml", "vars:", defaults + "vars:");
        for (String name : List.of("a_counts", "b_counts", "c_counts")) {
            project.write("models/" + name + ".sql", "/*---\nmaterialized: table\n---*/\nSELECT grp, count(*) AS n "
                    + "FROM raw.items WHERE grp = '" + name.charAt(0) + "' GROUP BY grp\n");
        }
        return project.root();
    }

    /** The most builds running at the same time, from the run's started and finished events. */
    private static int mostAtOnce(Sluice sluice, RunOptions options) {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        RunResult result = sluice.run(options, new RunListener() {
            @Override
            public void modelStarted(String model) {
                events.add("+" + model);
            }

            @Override
            public void modelFinished(ModelResult model, int finished, int total) {
                events.add("-" + model.model());
            }
        });
        assertThat(result.succeeded()).isTrue();
        assertThat(result.models()).hasSize(3);
        int running = 0;
        int most = 0;
        for (String event : events) {
            running += event.startsWith("+") ? 1 : -1;
            most = Math.max(most, running);
        }
        return most;
    }

    @Test
    void duckDbBuildsOneModelAtATimeByDefault() {
        Sluice sluice = Sluice.open(project(""));

        assertThat(mostAtOnce(sluice, RunOptions.defaults())).isEqualTo(1);
        // --threads still builds several at once
        assertThat(mostAtOnce(sluice, RunOptions.defaults().withThreads(2))).isEqualTo(2);
    }

    @Test
    void theProjectsThreadsSettingBuildsSeveralAtOnce() {
        Sluice sluice = Sluice.open(project("defaults: { threads: 3 }\n"));

        assertThat(mostAtOnce(sluice, RunOptions.defaults())).isEqualTo(3);
        assertThat(mostAtOnce(sluice, RunOptions.defaults().withThreads(1))).isEqualTo(1);
    }
}
