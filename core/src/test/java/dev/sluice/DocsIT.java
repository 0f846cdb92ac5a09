package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sluice docs: one static HTML file an auditor can open anywhere. */
class DocsIT {
    @TempDir
    Path dir;

    @Test
    void theReportShowsTheGraphSqlColumnLineageLastRunAndQuality() throws IOException {
        Path retail = ProjectFixture.example("retail", dir).root();
        Path before = Sluice.open(retail).docs(dir.resolve("before.html"));
        assertThat(Files.readString(before)).contains("Never run.").contains("never run");

        long runId = Sluice.open(retail).run(RunOptions.defaults()).runId();
        StringWriter out = new StringWriter();
        assertThat(Main.run(new PrintWriter(out), new PrintWriter(out), "docs", retail.toString())).isZero();
        Path report = retail.resolve("target/docs/index.html");
        assertThat(out.toString()).contains("Wrote " + report);
        String html = Files.readString(report);

        // self-contained: no script, nothing loaded from anywhere
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContain("src=").doesNotContain("href=\"http")
                .doesNotContain("<link");
        // the graph links every model and source to its section
        assertThat(html).contains("<svg").contains("<a href=\"#model-customer_lifetime_value\">")
                .contains("<a href=\"#source-raw.returns\">");
        assertThat(sectionOf(html, "model-daily_revenue"))
                .contains("<td>revenue</td>")
                .contains("<code>sum(order_amount)</code>")
                .contains("marts.orders.order_amount (aggregation)")
                .contains("marts.orders.order_date (group_by)")
                .contains("Run " + runId + ": success");
        assertThat(sectionOf(html, "model-orders"))
                .contains("WHERE t.order_amount &gt;= 0")
                .contains("<td>range(order_amount)</td>")
                .contains("<td class=\"pass\">pass</td>");
        assertThat(sectionOf(html, "model-customers")).contains("customer_name <b>PII</b>");
        assertThat(sectionOf(html, "source-raw.customers")).contains("name <b>PII</b>")
                .contains("staging.stg_customers.customer_name (transformation)");
        assertThat(sectionOf(html, "source-raw.returns")).contains("<td>not_null(order_id)</td>");
    }

    private static String sectionOf(String html, String id) {
        Matcher section = Pattern.compile("<section id=\"" + Pattern.quote(id) + "\">(.*?)</section>", Pattern.DOTALL)
                .matcher(html);
        assertThat(section.find()).as("section %s", id).isTrue();
        return section.group(1);
    }

    @Test
    void theReportHasTheModeOfAnyNewFileNotAnOwnerOnlyOne() throws IOException {
        Path retail = ProjectFixture.example("retail", dir).root();
        Path report = Sluice.open(retail).docs(dir.resolve("site/index.html"));
        // A file created plainly in the same folder: its mode is what the umask gives (0644 under the usual 022).
        Path plain = java.nio.file.Files.createFile(dir.resolve("site/plain.html"));
        assertThat(java.nio.file.Files.getPosixFilePermissions(report))
                .isEqualTo(java.nio.file.Files.getPosixFilePermissions(plain))
                .contains(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        try (var files = java.nio.file.Files.list(dir.resolve("site"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("index.html",
                    "plain.html");
        }
    }

    @Test
    void aReportThatCannotBeWrittenSaysWhereAndWhatToDo() {
        Path retail = ProjectFixture.example("retail", dir).root();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sluice.open(retail).docs(Path.of(
                "/proc/sluice-nope/index.html"))).isInstanceOf(SluiceException.class)
                .hasMessageStartingWith("Cannot write the report to /proc/sluice-nope/index.html: ")
                .hasMessageEndingWith("pass a writable path with --output");
    }
}
