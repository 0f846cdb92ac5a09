package dev.sluice.plan;

import static dev.sluice.plan.TestProjects.disabled;
import static dev.sluice.plan.TestProjects.ephemeral;
import static dev.sluice.plan.TestProjects.model;
import static dev.sluice.plan.TestProjects.shop;
import static dev.sluice.plan.TestProjects.tagged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProjectPlanSelectTest {
    private static DuckDbTestOracle oracle;
    private static ProjectPlan plan;

    /** orders → (eph) → paid → revenue → dashboard; customers → revenue; lonely stands apart. */
    @BeforeAll
    static void plan() {
        oracle = new DuckDbTestOracle();
        plan = Planner.plan(shop(
                tagged(model("orders", "SELECT * FROM raw.orders"), "staging"),
                tagged(model("customers", "SELECT * FROM raw.customers"), "staging"),
                ephemeral(model("eph", "SELECT * FROM orders WHERE amount > 0")),
                tagged(model("paid", "SELECT * FROM eph WHERE status = 'paid'"), "finance"),
                tagged(model("revenue", "SELECT c.country, sum(p.amount) AS total FROM paid p"
                        + " JOIN customers c ON c.id = p.customer_id GROUP BY c.country"), "finance", "daily"),
                model("dashboard", "SELECT * FROM revenue"),
                model("lonely", "SELECT 1 AS one"),
                disabled(model("retired", "SELECT 1 AS one"))), oracle);
    }

    @AfterAll
    static void close() {
        oracle.close();
    }

    private static List<String> select(List<String> select, List<String> exclude) {
        return plan.select(new Selection(select, exclude)).stream().map(PlannedModel::name).toList();
    }

    @Test
    void everythingButEphemeralsByDefault() {
        assertThat(select(List.of(), List.of()))
                .containsExactly("customers", "lonely", "orders", "paid", "revenue", "dashboard");
    }

    @Test
    void selectsByNameCaseInsensitively() {
        assertThat(select(List.of("REVENUE"), List.of())).containsExactly("revenue");
    }

    @Test
    void selectsDownstream() {
        assertThat(select(List.of("paid+"), List.of())).containsExactly("paid", "revenue", "dashboard");
    }

    @Test
    void selectsUpstreamSkippingEphemerals() {
        assertThat(select(List.of("+paid"), List.of())).containsExactly("orders", "paid");
        assertThat(plan.allUpstream("paid")).containsExactlyInAnyOrder("eph", "orders");
    }

    @Test
    void selectsBothWays() {
        assertThat(select(List.of("+revenue+"), List.of()))
                .containsExactly("customers", "orders", "paid", "revenue", "dashboard");
    }

    @Test
    void selectsByTagAndSeveralPerString() {
        assertThat(select(List.of("tag:finance lonely"), List.of())).containsExactly("lonely", "paid", "revenue");
        assertThat(select(List.of("tag:Daily", "customers"), List.of())).containsExactly("customers", "revenue");
    }

    @Test
    void excludesWithTheSameSyntax() {
        assertThat(select(List.of("orders+"), List.of("revenue+"))).containsExactly("orders", "paid");
        assertThat(select(List.of(), List.of("tag:staging lonely"))).containsExactly("paid", "revenue", "dashboard");
    }

    @Test
    void selectorMatchingNothingIsAUsageError() {
        assertThatThrownBy(() -> select(List.of("revenu+"), List.of()))
                .isInstanceOf(SluiceException.class)
                .hasMessage("Cannot select models: selector 'revenu+' matches no model; did you mean 'revenue'?")
                .extracting(e -> ((SluiceException) e).code()).isEqualTo(ErrorCode.USAGE);
    }

    @Test
    void emptySelectionIsAUsageErrorNotEveryModel() {
        assertThatThrownBy(() -> select(List.of(""), List.of()))
                .isInstanceOf(SluiceException.class)
                .hasMessage("Cannot select models: the selection is empty; name a model (orders, orders+, +orders, "
                        + "tag:x), or leave --select out to act on every model")
                .extracting(e -> ((SluiceException) e).code()).isEqualTo(ErrorCode.USAGE);
    }

    @Test
    void malformedSelectorIsASyntaxError() {
        for (String selector : List.of("++orders", "orders++", "+", "++")) {
            assertThatThrownBy(() -> select(List.of(selector), List.of()))
                    .isInstanceOf(SluiceException.class)
                    .hasMessage("Cannot select models: selector '" + selector + "' is not valid; write name, +name, "
                            + "name+, +name+ or tag:x");
        }
    }

    @Test
    void everyUnmatchedSelectorIsNamed() {
        assertThatThrownBy(() -> select(List.of("tag:nope zzzzzzzz"), List.of("retired")))
                .isInstanceOf(SluiceException.class)
                .hasMessage("Cannot select models: 3 selectors match no model" + System.lineSeparator()
                        + "  Cannot select models: selector 'tag:nope' matches no model; no enabled model has the tag"
                        + " 'nope'" + System.lineSeparator()
                        + "  Cannot select models: selector 'zzzzzzzz' matches no model; a model is named after its"
                        + " file, without .sql" + System.lineSeparator()
                        + "  Cannot select models: selector 'retired' names the disabled model 'retired'; enable it"
                        + " (enabled: true) to run it");
    }

    @Test
    void neighboursAreDirect() {
        assertThat(plan.upstream("revenue")).containsExactlyInAnyOrder("paid", "customers");
        assertThat(plan.downstream("orders")).containsExactly("eph");
        assertThat(plan.allDownstream("orders")).containsExactly("eph", "paid", "revenue", "dashboard");
    }
}
