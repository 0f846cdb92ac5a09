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
        Path project = ProjectFixture.at(dir).write("shop/sluice.yml", """
                name: shop
                sources:
                  raw.orders:
                    type: synthetic
                    rows: 10
                    columns:
                      id: { type: BIGINT, generator: sequence }
                      amount: { type: DOUBLE, generator: uniform, min: 1, max: 5 }
                """).getParent();
        ProjectFixture.at(project).write("models/orders.sql", """
                /*---
                materialized: table
                quality:
                  - range: { column: idd, min: 0 }
                ---*/
                SELECT id, amount FROM raw.orders
                """);
        ProjectFixture.at(project).write("models/revenue.sql", "SELECT sum(amount) AS revenue FROM orders\n");

        StringWriter out = new StringWriter();
        PrintWriter writer = new PrintWriter(out);
        int exit = Main.run(writer, writer, "plan", project.toString());
        writer.flush();

        assertThat(exit).as(out.toString()).isEqualTo(2);
        assertThat(out.toString()).contains("Cannot read models/orders.sql:4:5 (quality rule 1 of model orders): column"
                + " 'idd' is not a column of model orders (its columns: id, amount); did you mean 'id'?");
    }
}
