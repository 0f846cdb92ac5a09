package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A change to one column of a model rebuilds only the models that read that column. */
class ChangeImpactIT {
    @TempDir
    Path dir;

    @Test
    void changingOneColumnRebuildsOnlyItsConsumers() {
        Path project = ProjectFixture.copyTo("change_impact_one_column", dir.resolve("impact")).root();
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();

        ProjectFixture.at(project).write("models/base.sql", """
                /*---
                materialized: table
                ---*/
                SELECT order_id, lower(customer) AS customer, amount * 2 AS doubled FROM raw.orders
                """);
        Sluice changed = Sluice.open(project);
        assertThat(changed.plan(RunOptions.defaults())).filteredOn(step -> step.model().equals("base"))
                .singleElement().extracting(PlanStep::reason).asString()
                .contains("columns expression changed: customer; unchanged: order_id, doubled");

        RunResult result = changed.run(RunOptions.defaults());
        assertThat(result.model("base").get().reason()).startsWith("SQL changed");
        assertThat(result.model("by_customer").get().reason()).doesNotContain("up to date");
        assertThat(result.model("totals").get().reason())
                .contains("up to date").contains("reads none of the changed columns of main.base (customer)");
        assertThat(changed.query("SELECT customer FROM main.by_customer ORDER BY 1").rows())
                .containsExactly(java.util.List.of("ann"), java.util.List.of("bob"));
        assertThat(changed.query("SELECT total FROM main.totals").rows()).containsExactly(java.util.List.of(60.0));
    }
}
