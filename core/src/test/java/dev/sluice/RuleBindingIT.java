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
