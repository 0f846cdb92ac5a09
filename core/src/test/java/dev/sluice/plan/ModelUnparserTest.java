package dev.sluice.plan;

import static dev.sluice.plan.TestProjects.model;
import static dev.sluice.plan.TestProjects.shop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An engine that does not run DuckDB's SQL gets each model printed by Calcite in its own dialect. */
class ModelUnparserTest {
    private final DuckDbTestOracle oracle = new DuckDbTestOracle();

    @AfterEach
    void close() {
        oracle.close();
    }

    private PlannedModel revenue() {
        return Planner.plan(shop(model("revenue", """
                SELECT o.customer_id, sum(o.amount) AS "total amount"
                FROM raw.orders AS o
                WHERE o.status <> 'cancelled'
                GROUP BY o.customer_id
                """)), oracle).model("revenue").orElseThrow();
    }

    @Test
    void sparkGetsBackQuotedIdentifiersAndKeepsTheSourceSlots() {
        PlannedModel spark = revenue().unparsedIn("spark");

        assertThat(spark.executableSql()).contains("`total amount`", "SUM(`o`.`amount`)", "GROUP BY `o`.`customer_id`")
                .doesNotContain("\"total amount\"");
        // a run reading a slice of raw.orders still can: the slot survived the printing
        assertThat(spark.executableSql(source -> "(SELECT * FROM slice_of_" + source.replace('.', '_') + ")"))
                .contains("FROM (SELECT * FROM slice_of_raw_orders) `o`");
        // everything the planner derived stays as it was
        assertThat(spark.columns()).isEqualTo(revenue().columns());
        assertThat(spark.lineage()).isEqualTo(revenue().lineage());
    }

    @Test
    void theModelsOwnTextIsUntouchedUnlessAnEngineAsks() {
        assertThat(revenue().executableSql()).contains("\"total amount\"").doesNotContain("`");
    }

    @Test
    void anUnknownDialectNamesTheModelAndWhatTheEngineMustSay() {
        assertThatThrownBy(() -> revenue().unparsedIn("klingon")).isInstanceOf(SluiceException.class)
                .hasMessage("Cannot print model revenue (models/revenue.sql) for its engine: Calcite has no dialect "
                        + "'klingon'; the engine must name one of SqlDialect.DatabaseProduct");
    }
}
