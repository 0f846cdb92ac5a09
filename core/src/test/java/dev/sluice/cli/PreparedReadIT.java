package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ForkedLauncher;
import dev.sluice.ProjectFixture;
import dev.sluice.RunOptions;
import dev.sluice.Sluice;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read commands as their own processes ({@code Main.main}), which open the warehouse ahead of need while they
 * read the project: each answers as before, including {@code ls}, which may write the plan cache after reading, and a
 * project whose warehouse does not exist yet.
 */
class PreparedReadIT {
    @TempDir
    Path dir;

    @Test
    void readCommandsAnswerInTheirOwnProcess() throws Exception {
        ProjectFixture fixture = ProjectFixture.copyTo("basic", dir.resolve("p"));
        Path project = fixture.root();
        ForkedLauncher launcher = ForkedLauncher.in(dir);
        // No warehouse yet: nothing is opened ahead, and the command says so as before.
        assertThat(launcher.run("runs", project.toString())).as(launcher.output()).isEqualTo(2);
        assertThat(launcher.output()).contains("Cannot read warehouse").contains("it does not exist yet");

        fixture.write("data/orders/1.csv", "order_id,amount\n1,10\n2,3\n3,7\n");
        Sluice.open(project).run(RunOptions.defaults());
        assertThat(launcher.run("runs", project.toString(), "-n", "1")).as(launcher.output()).isZero();
        assertThat(launcher.output()).contains("Run 1  success");
        assertThat(launcher.run("query", project.toString(), "SELECT 40 + 2 AS answer")).as(launcher.output())
                .isZero();
        assertThat(launcher.output()).contains("42");
        // A model changed since the run: ls plans it and keeps it in the plan cache through a read-write opening
        // after its read-only one, which took the prepared connection over.
        Object cached = planKey(project);
        fixture.write("models/marts/daily_revenue.sql", "/*---\nmaterialized: table\n---*/\n"
                + "SELECT count(*) AS orders FROM stg_orders");
        assertThat(launcher.run("ls", project.toString())).as(launcher.output()).isZero();
        assertThat(launcher.output()).contains("main.daily_revenue  table");
        assertThat(planKey(project)).isNotNull().isNotEqualTo(cached);
    }

    private static Object planKey(Path project) {
        return Sluice.open(project).query("SELECT text_key FROM sluice.plan_cache WHERE model = 'daily_revenue'")
                .rows().get(0).get(0);
    }
}
