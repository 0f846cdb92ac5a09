package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL users write in quality rules (expression and sql rules, tests/*.sql files, the rules of sources) is bound
 * at plan time: a typo is a located plan error naming the rule, not a failed build.
 */
class RuleBindingIT {
    @TempDir
    Path dir;

    private Path project(String sourceRule, String expression, String sql, String test) {
        Path project = ProjectFixture.at(dir).write("shop/sluice.yml", """
                name: shop
                sources:
                  raw.orders:
                    type: synthetic
                    rows: 10
                    columns:
                      id: { type: BIGINT, generator: sequence }
                      amount: { type: DOUBLE, generator: uniform, min: 1, max: 5 }
                    quality:
                      - expression: "%s"
                        name: source_check
                """.formatted(sourceRule)).getParent();
        ProjectFixture.at(project).write("models/orders.sql", """
                /*---
                materialized: table
                quality:
                  - expression: "%s"
                    name: positive_id
                  - sql: "%s"
                    name: no_negative_amounts
                ---*/
                SELECT id, amount FROM raw.orders
                """.formatted(expression, sql));
        ProjectFixture.at(project).write("models/revenue.sql", "SELECT sum(amount) AS revenue FROM orders\n");
        ProjectFixture.at(project).write("tests/orders_amounts.sql", """
                /*---
                model: orders
                ---*/
                %s
                """.formatted(test));
        return project;
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        PrintWriter writer = new PrintWriter(out);
        int exit = Main.run(writer, writer, args);
        writer.flush();
        return new String[] {String.valueOf(exit), out.toString()};
    }

    @Test
    void planRefusesRulesWhoseSqlDoesNotBindNamingEach() {
        Path project = project("amout > 0", "idd > 0", "SELECT * FROM this WHERE amont < 0",
                "SELECT * FROM this WHERE quantity <= 0");

        String[] result = run("plan", project.toString());

        assertThat(result[0]).as(result[1]).isEqualTo("2");
        assertThat(result[1]).contains("Cannot plan quality gates of project 'shop': 4 problems")
                .contains("Cannot check quality rule 'source_check' of source raw.orders (sluice.yml")
                .contains("Cannot check quality rule 'positive_id' of model orders (models/orders.sql:4")
                .contains("Cannot check quality rule 'no_negative_amounts' of model orders (models/orders.sql:6")
                .contains("of model orders (tests/orders_amounts.sql")
                .contains("Referenced column \"amout\" not found", "Candidate bindings:", "\"amount\"")
                .contains("Referenced column \"idd\" not found", "\"id\"")
                .contains("Referenced column \"amont\" not found")
                .contains("Referenced column \"quantity\" not found")
                .doesNotContain("_sluice_");
    }

    @Test
    void readingThePlanDoesNotBindRulesAndAPipelineForReadingCannotRun() {
        Path project = project("amout > 0", "idd > 0", "SELECT * FROM this WHERE amont < 0",
                "SELECT * FROM this WHERE quantity <= 0");

        String[] listed = run("ls", project.toString());
        String[] lineage = run("lineage", project.toString(), "revenue.revenue");

        // Listing and lineage read the plan: the rules' SQL is a run's (and sluice plan's) concern.
        assertThat(listed[0]).as(listed[1]).isEqualTo("0");
        assertThat(listed[1]).contains("main.orders", "main.revenue");
        assertThat(lineage[0]).as(lineage[1]).isEqualTo("0");
        assertThat(lineage[1]).contains("main.revenue.revenue <- main.orders.amount");
        dev.sluice.exec.Pipeline reading = dev.sluice.exec.Pipeline.forReading(
                dev.sluice.project.ProjectReader.read(project, java.util.Map.of()), Sluice.VERSION);
        assertThat(reading.plan().models()).hasSize(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reading.steps(RunOptions.defaults()))
                .isInstanceOf(IllegalStateException.class).hasMessage("Cannot check the quality rules of project "
                        + "'shop': this plan was made for reading and did not bind them; plan with new Pipeline(...)");
    }

    @Test
    void rulesWhoseSqlBindsStillPlanAndRun() {
        Path project = project("amount > 0", "id > 0", "SELECT * FROM this WHERE amount < 0",
                "WITH big AS (SELECT * FROM this WHERE amount > 100) SELECT * FROM big");

        String[] plan = run("plan", project.toString());
        String[] built = run("run", project.toString());

        assertThat(plan[0]).as(plan[1]).isEqualTo("0");
        assertThat(built[0]).as(built[1]).isEqualTo("0");
    }

    @Test
    void aSourceThatCannotBeReadNowIsNotBoundAndBlocksOnlyItsReaders() {
        Path project = ProjectFixture.copyTo("rule_binding_unreadable_source", dir.resolve("p")).root();

        String[] built = run("run", project.toString(), "--select", "us");

        assertThat(built[0]).as(built[1]).isEqualTo("0");
        assertThat(built[1]).contains("1 succeeded, 0 failed").doesNotContain("Cannot check quality rule");
    }
}
