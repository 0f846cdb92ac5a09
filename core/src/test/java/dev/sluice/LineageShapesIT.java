package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Column lineage of every query shape, each with its expected edges written by hand: joins, aggregates, CASE,
 * CTEs, window functions, UNION, scalar, IN and EXISTS subqueries, derived tables, ORDER BY, SELECT * and ephemeral
 * models. An edge reads {@code column <- source column TYPE SUBTYPE}.
 */
class LineageShapesIT {
    @TempDir
    static Path dir;

    private static Lineage lineage;

    @BeforeAll
    static void plan() {
        Path project = ProjectFixture.copyTo("lineage_shapes", dir).root();
        lineage = Sluice.open(project).lineage();
    }

    /** Every edge into the model's columns, as text. */
    private static List<String> edges(String model) {
        return lineage.into("main." + model).entrySet().stream().flatMap(column -> column.getValue().stream()
                .map(edge -> column.getKey() + " <- " + edge.from() + " " + edge.type() + " " + edge.subtype()
                        + (edge.masking() ? " masked" : ""))).toList();
    }

    @Test
    void projectionsPassValuesThroughTransformThemOrHashThem() {
        assertThat(edges("m_identity")).containsExactlyInAnyOrder(
                "id <- raw.orders.id DIRECT IDENTITY",
                "doubled <- raw.orders.amount DIRECT TRANSFORMATION",
                "status_hash <- raw.orders.status DIRECT TRANSFORMATION masked");
        assertThat(lineage.expression("main.m_identity.doubled")).isEqualTo("amount * 2");
        assertThat(lineage.expression("main.m_identity.status_hash")).isEqualTo("md5(status)");
    }

    @Test
    void tryCastIsDerivedLikeCast() {
        assertThat(lineage.underived()).doesNotContain("m_try_cast");
        assertThat(edges("m_try_cast")).containsExactlyInAnyOrder(
                "id <- raw.orders.id DIRECT IDENTITY",
                "status_code <- raw.orders.status DIRECT TRANSFORMATION",
                "whole <- raw.orders.amount DIRECT TRANSFORMATION");
        assertThat(lineage.expression("main.m_try_cast.status_code")).isEqualTo("TRY_CAST(status AS INTEGER)");
    }

    @Test
    void joinKeysDecideEveryRowAndTheNullableSideStaysIdentity() {
        assertThat(edges("m_join")).containsExactlyInAnyOrder(
                "id <- raw.orders.id DIRECT IDENTITY",
                "id <- raw.customers.id INDIRECT JOIN",
                "id <- raw.orders.customer_id INDIRECT JOIN",
                "name <- raw.customers.name DIRECT IDENTITY",
                "name <- raw.customers.id INDIRECT JOIN",
                "name <- raw.orders.customer_id INDIRECT JOIN");
    }

    @Test
    void aggregatesAndGroupingKeys() {
        // HAVING count(*) > 1 counts rows: it reads no column
        assertThat(edges("m_aggregate")).containsExactlyInAnyOrder(
                "customer_id <- raw.orders.customer_id DIRECT IDENTITY",
                "customer_id <- raw.orders.customer_id INDIRECT GROUP_BY",
                "total <- raw.orders.amount DIRECT AGGREGATION",
                "total <- raw.orders.customer_id INDIRECT GROUP_BY");
        assertThat(lineage.expression("main.m_aggregate.total")).isEqualTo("sum(amount)");
        // count(*) in a derived table: no value flows, only the grouping decides
        assertThat(edges("m_derived")).containsExactlyInAnyOrder(
                "customer_id <- raw.orders.customer_id DIRECT IDENTITY",
                "customer_id <- raw.orders.customer_id INDIRECT GROUP_BY",
                "n <- raw.orders.customer_id INDIRECT GROUP_BY");
    }

    @Test
    void caseConditionsChooseTheValueWithoutFlowingIntoIt() {
        assertThat(edges("m_case")).containsExactlyInAnyOrder(
                "id <- raw.orders.id DIRECT IDENTITY",
                "net <- raw.orders.amount DIRECT TRANSFORMATION",
                "net <- raw.orders.status INDIRECT CONDITIONAL");
    }

    @Test
    void commonTableExpressionsAndEphemeralModels() {
        assertThat(edges("m_cte")).containsExactlyInAnyOrder(
                "id <- raw.orders.id DIRECT IDENTITY",
                "id <- raw.orders.amount INDIRECT FILTER",
                "big_amount <- raw.orders.amount DIRECT IDENTITY",
                "big_amount <- raw.orders.amount INDIRECT FILTER");
        // an ephemeral model is a step of its own: its filter shows on its columns
        assertThat(edges("m_ephemeral")).containsExactlyInAnyOrder(
                "open_id <- main.e_open.id DIRECT IDENTITY",
                "amount <- main.e_open.amount DIRECT IDENTITY");
        assertThat(edges("e_open")).containsExactlyInAnyOrder(
                "id <- raw.orders.id DIRECT IDENTITY",
                "id <- raw.orders.status INDIRECT FILTER",
                "amount <- raw.orders.amount DIRECT IDENTITY",
                "amount <- raw.orders.status INDIRECT FILTER");
        assertThat(lineage.path("raw.orders.amount", "m_ephemeral.amount")).hasSize(2);
    }

    @Test
    void windowFunctionsAggregateTheirArgumentsButNotTheirKeys() {
        assertThat(edges("m_window")).containsExactlyInAnyOrder(
                "id <- raw.orders.id DIRECT IDENTITY",
                "id <- raw.orders.amount INDIRECT WINDOW",
                "id <- raw.orders.customer_id INDIRECT WINDOW",
                "rank_in_customer <- raw.orders.amount INDIRECT WINDOW",
                "rank_in_customer <- raw.orders.customer_id INDIRECT WINDOW",
                "customer_total <- raw.orders.amount DIRECT AGGREGATION",
                "customer_total <- raw.orders.amount INDIRECT WINDOW",
                "customer_total <- raw.orders.customer_id INDIRECT WINDOW");
    }

    @Test
    void unionTakesValuesFromEveryBranch() {
        // the literal 'order' has no origin; the customers' branch passes country through
        assertThat(edges("m_union")).containsExactlyInAnyOrder(
                "key <- raw.orders.id DIRECT IDENTITY",
                "key <- raw.customers.id DIRECT IDENTITY",
                "kind <- raw.customers.country DIRECT IDENTITY");
    }

    @Test
    void subqueriesCorrelatedOrNotDecideRows() {
        // a correlated scalar subquery is decorrelated into an aggregate joined back: count(*) reads no column
        assertThat(edges("m_scalar_subquery")).containsExactlyInAnyOrder(
                "id <- raw.customers.id DIRECT IDENTITY",
                "id <- raw.customers.id INDIRECT GROUP_BY",
                "id <- raw.customers.id INDIRECT JOIN",
                "id <- raw.orders.customer_id INDIRECT FILTER",
                "id <- raw.orders.customer_id INDIRECT GROUP_BY",
                "id <- raw.orders.customer_id INDIRECT JOIN",
                "orders <- raw.customers.id INDIRECT GROUP_BY",
                "orders <- raw.customers.id INDIRECT JOIN",
                "orders <- raw.orders.customer_id INDIRECT FILTER",
                "orders <- raw.orders.customer_id INDIRECT GROUP_BY",
                "orders <- raw.orders.customer_id INDIRECT JOIN");
        assertThat(edges("m_in_subquery")).containsExactlyInAnyOrder(
                "name <- raw.customers.name DIRECT IDENTITY",
                "name <- raw.customers.id INDIRECT JOIN",
                "name <- raw.orders.customer_id INDIRECT GROUP_BY",
                "name <- raw.orders.customer_id INDIRECT JOIN",
                "name <- raw.orders.status INDIRECT FILTER");
        assertThat(edges("m_exists")).containsExactlyInAnyOrder(
                "id <- raw.customers.id DIRECT IDENTITY",
                "id <- raw.customers.id INDIRECT JOIN",
                "id <- raw.orders.amount INDIRECT FILTER",
                "id <- raw.orders.customer_id INDIRECT FILTER",
                "id <- raw.orders.customer_id INDIRECT GROUP_BY",
                "id <- raw.orders.customer_id INDIRECT JOIN");
    }

    @Test
    void orderByAndSelectStar() {
        assertThat(edges("m_sorted")).containsExactlyInAnyOrder(
                "id <- raw.orders.id DIRECT IDENTITY",
                "id <- raw.orders.amount INDIRECT SORT");
        // * is expanded against the validated row type
        assertThat(edges("m_star")).containsExactlyInAnyOrder(
                "id <- raw.customers.id DIRECT IDENTITY",
                "name <- raw.customers.name DIRECT IDENTITY",
                "country <- raw.customers.country DIRECT IDENTITY");
        assertThat(lineage.underived()).isEmpty();
    }
}
