package dev.sluice.quality;

import static dev.sluice.quality.Specs.LOCATION;
import static dev.sluice.quality.Specs.RELATIONS;
import static dev.sluice.quality.Specs.list;
import static dev.sluice.quality.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.project.RuleConfig;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The columns a rule names are checked at plan time against those of its model and of a relationships target. */
class RuleColumnsTest {
    private static final String WHERE = "Cannot read models/orders.sql:3 (quality rule 1 of model orders): ";
    private static final List<String> ORDERS = List.of("id", "customer_id", "amount", "status");
    private static final String KNOWN = " (its columns: id, customer_id, amount, status)";

    private static RuleParser.Result parse(Map<String, Object> spec, List<String> columns) {
        return RuleParser.parse("model orders", List.of(new RuleConfig(spec, LOCATION)), RELATIONS, columns,
                name -> name.equals("customers") ? List.of("id", "name") : null, dev.sluice.engine.duckdb.DuckDbDialect.INSTANCE);
    }

    static Stream<Arguments> unknown() {
        return Stream.of(
                Arguments.of(spec("range", spec("column", "idd", "min", 0L)),
                        "column 'idd' is not a column of model orders" + KNOWN + "; did you mean 'id'?"),
                Arguments.of(spec("not_null", list("id", "amont")),
                        "column 'amont' is not a column of model orders" + KNOWN + "; did you mean 'amount'?"),
                Arguments.of(spec("unique", "order_number"),
                        "column 'order_number' is not a column of model orders" + KNOWN + "; name one of them"),
                Arguments.of(spec("unique", spec("columns", list("ID", "stauts"))),
                        "column 'stauts' is not a column of model orders" + KNOWN + "; did you mean 'status'?"),
                Arguments.of(spec("relationships", spec("column", "customer_id", "to", "customers", "field", "idd")),
                        "column 'idd' is not a column of customers (its columns: id, name); did you mean 'id'?"),
                Arguments.of(spec("relationships", spec("column", "customer_id", "to", "customers")),
                        "column 'customer_id' is not a column of customers (its columns: id, name); name one of"
                                + " them"));
    }

    @ParameterizedTest
    @MethodSource("unknown")
    void anUnknownColumnIsAProblemAtTheRuleWithADidYouMean(Map<String, Object> spec, String message) {
        RuleParser.Result result = parse(spec, ORDERS);

        assertThat(result.problems()).containsExactly(WHERE + message);
        assertThat(result.rules()).isEmpty();
    }

    static Stream<Arguments> known() {
        return Stream.of(
                Arguments.of(spec("range", spec("column", "AMOUNT", "min", 0L)), ORDERS),
                Arguments.of(spec("not_null", list("id", "status")), ORDERS),
                Arguments.of(spec("relationships", spec("column", "customer_id", "to", "customers", "field", "id")),
                        ORDERS),
                // the target's columns are not known: only the checked column is
                Arguments.of(spec("relationships", spec("column", "customer_id", "to", "marts.orders")), ORDERS),
                // a schema rule's columns are what it expects, checked when it runs
                Arguments.of(spec("schema", spec("columns", list("missing"))), ORDERS),
                // SQL rules name no column of their own
                Arguments.of(spec("expression", "amount >= 0"), ORDERS),
                Arguments.of(spec("row_count", spec("min", 1L)), ORDERS),
                // a source's columns are not known before it loads
                Arguments.of(spec("range", spec("column", "idd", "min", 0L)), null));
    }

    @ParameterizedTest
    @MethodSource("known")
    void namedColumnsThatExistOrCannotBeKnownPass(Map<String, Object> spec, List<String> columns) {
        RuleParser.Result result = parse(spec, columns);

        assertThat(result.problems()).isEmpty();
        assertThat(result.rules()).isNotEmpty();
    }

    @Test
    void withoutColumnsNothingIsChecked() {
        RuleParser.Result result = RuleParser.parse("model orders",
                List.of(new RuleConfig(spec("not_null", "nosuch"), LOCATION)), RELATIONS, dev.sluice.engine.duckdb.DuckDbDialect.INSTANCE);

        assertThat(result.problems()).isEmpty();
    }
}
