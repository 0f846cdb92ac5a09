package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A quality rule naming a column the model does not have is a located plan error, not a failed build. */
class RuleColumnsIT {
    @TempDir
    Path dir;

    @Test
    void planRefusesARuleOnAnUnknownColumnWithADidYouMean() {
        Path project = ProjectFixture.copyTo("rule_columns_unknown_column", dir.resolve("shop")).root();

        StringWriter out = new StringWriter();
        PrintWriter writer = new PrintWriter(out);
        int exit = Main.run(writer, writer, "plan", project.toString());
        writer.flush();

        assertThat(exit).as(out.toString()).isEqualTo(2);
        assertThat(out.toString()).contains("Cannot read models/orders.sql:4:5 (quality rule 1 of model orders): column"
                + " 'idd' is not a column of model orders (its columns: id, amount); did you mean 'id'?");
    }
}
