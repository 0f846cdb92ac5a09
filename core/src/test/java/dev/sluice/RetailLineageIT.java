package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every edge of the retail example's column lineage, written by hand from its SQL: each path through the example is
 * a chain of these edges, so every path is checked. Per model: the edges into each column ({@code column <- source
 * column SUBTYPE}: DIRECT ones and CASE conditions), and the INDIRECT edges that apply to all its columns.
 */
class RetailLineageIT {
    @TempDir
    Path dir;

    private record Expected(List<String> columns, List<String> indirect) {
    }

    private static final Map<String, Expected> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("staging.stg_customers", new Expected(List.of(
                "customer_id <- raw.customers.customer_id IDENTITY",
                "customer_name <- raw.customers.name TRANSFORMATION",
                "country <- raw.customers.country IDENTITY",
                "signup_date <- raw.customers.signup_date IDENTITY"), List.of()));
        EXPECTED.put("staging.stg_products", new Expected(List.of(
                "product_id <- raw.products.product_id IDENTITY",
                "category <- raw.products.category IDENTITY",
                "list_price <- raw.products.list_price IDENTITY"), List.of()));
        EXPECTED.put("staging.stg_orders", new Expected(List.of(
                "order_id <- raw.orders.order_id IDENTITY",
                "customer_id <- raw.orders.customer_id IDENTITY",
                "order_date <- raw.orders.order_date IDENTITY",
                "status <- raw.orders.status IDENTITY"),
                List.of("raw.orders.status FILTER", "raw.orders.order_date FILTER")));
        EXPECTED.put("staging.stg_order_items", new Expected(List.of(
                "order_id <- raw.order_items.order_id IDENTITY",
                "product_id <- raw.order_items.product_id IDENTITY",
                "quantity <- raw.order_items.quantity IDENTITY",
                // coalesce(discount, 0): discount flows, and decides whether it or 0 is taken
                "discount <- raw.order_items.discount TRANSFORMATION",
                "discount <- raw.order_items.discount CONDITIONAL",
                "line_amount <- raw.order_items.quantity TRANSFORMATION",
                "line_amount <- staging.stg_products.list_price TRANSFORMATION",
                "line_amount <- raw.order_items.discount TRANSFORMATION",
                "line_amount <- raw.order_items.discount CONDITIONAL"),
                List.of("raw.order_items.product_id JOIN", "staging.stg_products.product_id JOIN")));
        EXPECTED.put("staging.stg_returns", new Expected(List.of(
                "order_id <- raw.returns.order_id IDENTITY",
                "returned_on <- raw.returns.returned_on IDENTITY",
                "reason <- raw.returns.reason TRANSFORMATION"), List.of()));
        EXPECTED.put("main.int_order_totals", new Expected(List.of(
                "order_id <- staging.stg_orders.order_id IDENTITY",
                "customer_id <- staging.stg_orders.customer_id IDENTITY",
                "order_date <- staging.stg_orders.order_date IDENTITY",
                "order_amount <- staging.stg_order_items.line_amount AGGREGATION",
                "items <- staging.stg_order_items.quantity AGGREGATION"),
                List.of("staging.stg_orders.order_id JOIN", "staging.stg_order_items.order_id JOIN",
                        "staging.stg_orders.order_id GROUP_BY", "staging.stg_orders.customer_id GROUP_BY",
                        "staging.stg_orders.order_date GROUP_BY")));
        EXPECTED.put("marts.orders", new Expected(List.of(
                "order_id <- main.int_order_totals.order_id IDENTITY",
                "customer_id <- main.int_order_totals.customer_id IDENTITY",
                "order_date <- main.int_order_totals.order_date IDENTITY",
                "order_amount <- main.int_order_totals.order_amount IDENTITY",
                "items <- main.int_order_totals.items IDENTITY",
                "returned <- staging.stg_returns.order_id TRANSFORMATION"),
                // currency is the literal ${currency}: it comes from no column
                List.of("main.int_order_totals.order_id JOIN", "staging.stg_returns.order_id JOIN",
                        "main.int_order_totals.order_amount FILTER")));
        EXPECTED.put("marts.customers", new Expected(List.of(
                "customer_id <- staging.stg_customers.customer_id IDENTITY",
                "customer_name <- staging.stg_customers.customer_name IDENTITY",
                "country <- staging.stg_customers.country IDENTITY",
                "signup_date <- staging.stg_customers.signup_date IDENTITY",
                "orders <- marts.orders.order_id AGGREGATION",
                "first_order_date <- marts.orders.order_date AGGREGATION",
                "last_order_date <- marts.orders.order_date AGGREGATION"),
                List.of("marts.orders.customer_id JOIN", "staging.stg_customers.customer_id JOIN",
                        "staging.stg_customers.customer_id GROUP_BY", "staging.stg_customers.customer_name GROUP_BY",
                        "staging.stg_customers.country GROUP_BY", "staging.stg_customers.signup_date GROUP_BY")));
        EXPECTED.put("marts.daily_revenue", new Expected(List.of(
                "order_date <- marts.orders.order_date IDENTITY",
                "revenue <- marts.orders.order_amount AGGREGATION",
                "returned_revenue <- marts.orders.order_amount AGGREGATION",
                "returned_revenue <- marts.orders.returned CONDITIONAL"),
                // orders is count(*): it counts rows, read from no column
                List.of("marts.orders.order_date GROUP_BY", "marts.orders.order_date SORT")));
        EXPECTED.put("marts.product_sales", new Expected(List.of(
                "category <- staging.stg_products.category IDENTITY",
                "month <- staging.stg_orders.order_date TRANSFORMATION",
                "units <- staging.stg_order_items.quantity AGGREGATION",
                "revenue <- staging.stg_order_items.line_amount AGGREGATION"),
                List.of("staging.stg_products.product_id JOIN", "staging.stg_order_items.product_id JOIN",
                        "staging.stg_orders.order_id JOIN", "staging.stg_order_items.order_id JOIN",
                        "staging.stg_products.category GROUP_BY", "staging.stg_orders.order_date GROUP_BY")));
        EXPECTED.put("marts.customer_lifetime_value", new Expected(List.of(
                "customer_id <- marts.customers.customer_id IDENTITY",
                "country <- marts.customers.country IDENTITY",
                "lifetime_value <- marts.orders.order_amount AGGREGATION",
                "lifetime_value <- marts.orders.order_amount CONDITIONAL",
                "orders <- marts.orders.order_id AGGREGATION"),
                // country_rank is rank(): its value is the ranking by the window's keys, which are INDIRECT
                List.of("marts.customers.customer_id JOIN", "marts.orders.customer_id JOIN",
                        "marts.customers.customer_id GROUP_BY", "marts.customers.country GROUP_BY",
                        "marts.orders.returned CONDITIONAL", "marts.customers.country WINDOW",
                        "marts.orders.order_amount WINDOW")));
        EXPECTED.put("marts.returns_log", new Expected(List.of(
                "order_id <- raw.returns.order_id IDENTITY",
                "returned_on <- raw.returns.returned_on IDENTITY",
                "reason <- raw.returns.reason TRANSFORMATION"), List.of()));
    }

    @Test
    void everyEdgeOfTheExampleIsTheOneItsSqlSays() {
        Sluice sluice = Sluice.open(ProjectFixture.example("retail", dir).root());
        Lineage lineage = sluice.lineage();
        assertThat(sluice.models()).extracting(ModelInfo::qualifiedName)
                .containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        assertThat(lineage.underived()).isEmpty();
        EXPECTED.forEach((model, expected) -> {
            Map<String, List<Lineage.Edge>> into = lineage.into(model);
            for (Map.Entry<String, List<Lineage.Edge>> column : into.entrySet()) {
                List<String> wanted = new ArrayList<>();
                expected.columns().stream().filter(edge -> edge.startsWith(column.getKey() + " <- "))
                        .map(edge -> edge.substring(edge.indexOf(" <- ") + 4)).forEach(wanted::add);
                wanted.addAll(expected.indirect());
                List<String> actual = column.getValue().stream().map(edge -> edge.from() + " " + edge.subtype())
                        .toList();
                assertThat(actual).as("edges into %s.%s", model, column.getKey())
                        .containsExactlyInAnyOrderElementsOf(wanted);
            }
            // every expected column exists
            assertThat(into.keySet()).as("columns of %s", model).containsAll(new TreeSet<>(expected.columns().stream()
                    .map(edge -> edge.substring(0, edge.indexOf(" <- "))).toList()));
        });
        // CONDITIONAL edges are INDIRECT, the others as their subtype says
        assertThat(lineage.upstream("marts.customer_lifetime_value.lifetime_value", 1)).allMatch(edge ->
                edge.type().equals(List.of("IDENTITY", "TRANSFORMATION", "AGGREGATION").contains(edge.subtype())
                        ? "DIRECT" : "INDIRECT"));
    }
}
