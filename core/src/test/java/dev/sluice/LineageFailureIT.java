package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose SQL Calcite validates but cannot plan (a correlated {@code > ALL} subquery) keeps running, and its
 * missing lineage is reported with Calcite's reason everywhere lineage shows, never silently dropped; personal data
 * is assumed to reach all of its columns.
 */
class LineageFailureIT {
    private static final String REASON = "Calcite cannot plan the query: ";

    @TempDir
    Path dir;
    Path project;

    @BeforeEach
    void project() {
        project = ProjectFixture.at(dir.resolve("p")).write("sluice.yml", """
                name: p
                sources:
                  raw.orders:
                    type: synthetic
                    rows: 20
                    pii: [email]
                    columns:
                      id: { type: BIGINT, generator: sequence }
                      customer_id: { type: BIGINT, generator: uniform, min: 1, max: 3 }
                      amount: { type: BIGINT, generator: uniform, min: 1, max: 100 }
                      email: { type: VARCHAR, generator: text, prefix: "e" }
                """).getParent();
        ProjectFixture.at(project).write("models/top_orders.sql", """
                SELECT id, email, amount FROM raw.orders o
                WHERE amount >= ALL (SELECT amount FROM raw.orders p WHERE p.customer_id = o.customer_id)
                """);
        ProjectFixture.at(project).write("models/contacts.sql", "SELECT upper(email) AS contact, amount FROM main.top_orders");
        ProjectFixture.at(project).write("models/plain.sql", "SELECT id * 2 AS twice FROM raw.orders");
    }

    @Test
    void theModelIsListedWithCalcitesReasonAndStillRuns() {
        Sluice sluice = Sluice.open(project);
        Lineage lineage = sluice.lineage();
        assertThat(lineage.underived()).containsExactly("top_orders");
        assertThat(lineage.underivedReasons().get("top_orders")).startsWith(REASON).hasSizeGreaterThan(REASON.length());
        assertThat(lineage.underivedLines()).containsExactly("top_orders: " + lineage.underivedReasons().get("top_orders"));
        assertThat(sluice.models().stream().filter(m -> m.name().equals("top_orders")).findFirst().orElseThrow()
                .lineageProblem()).isEqualTo(lineage.underivedReasons().get("top_orders"));
        // models that read it or sit beside it keep their lineage
        assertThat(lineage.upstream("plain.twice", 0)).containsExactly(
                new Lineage.Edge("raw.orders.id", "main.plain.twice", "DIRECT", "TRANSFORMATION"));
        assertThat(lineage.upstream("contacts.contact", 1)).containsExactly(
                new Lineage.Edge("main.top_orders.email", "main.contacts.contact", "DIRECT", "TRANSFORMATION"));
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        assertThat(sluice.query("SELECT count(*) > 0 FROM main.top_orders").rows()).containsExactly(List.of(true));
    }

    @Test
    void personalDataIsAssumedToReachEveryColumnOfTheModel() {
        Lineage lineage = Sluice.open(project).lineage();
        // top_orders reads raw.orders.email: without lineage, every one of its columns may hold it, and passes it on
        assertThat(lineage.pii()).containsOnlyKeys("raw.orders.email", "main.top_orders.id", "main.top_orders.email",
                "main.top_orders.amount", "main.contacts.contact", "main.contacts.amount");
        assertThat(lineage.pii().get("main.contacts.amount")).containsExactly("raw.orders.email");
    }

    @Test
    void lineagePlanAndDocsShowTheReason() throws Exception {
        String reason = Sluice.open(project).lineage().underivedReasons().get("top_orders");
        assertThat(run("lineage", project.toString(), "plain.twice"))
                .contains("Lineage not derivable for models:\n  top_orders: " + reason);
        assertThat(run("lineage", project.toString(), "plain.twice", "--format", "json"))
                .contains("\"underived_reasons\" : {\n    \"top_orders\" : \"" + reason.replace("\"", "\\\"") + "\"");
        assertThat(run("lineage", project.toString(), "--pii")).contains("main.contacts.amount")
                .contains("  top_orders: " + reason);
        assertThat(run("plan", project.toString())).contains("main.top_orders").contains("lineage: not derived: " + reason);
        Path html = dir.resolve("docs.html");
        run("docs", project.toString(), "--output", html.toString());
        assertThat(Files.readString(html)).contains("Lineage could not be derived for: top_orders: ");
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        assertThat(Main.run(new PrintWriter(out), new PrintWriter(out), args)).as(out.toString()).isZero();
        return out.toString();
    }
}
