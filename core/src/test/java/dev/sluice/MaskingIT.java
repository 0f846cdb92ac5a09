package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.project.Mask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A column declared {@code mask: hash} on a source reaches a mart through a view, a join and an aggregate; readers
 * without the right to see it in clear see its hash everywhere Sluice hands data out, and the catalog's quality
 * sample of a rule failing on the joined table holds no clear value.
 */
class MaskingIT {
    private static final List<String> CLEAR = List.of("ann@example.com", "bob@example.org", "cy@example.net");

    @TempDir
    static Path dir;
    static ProjectFixture project;
    static Sluice sluice;

    @BeforeAll
    static void run() {
        project = ProjectFixture.example("masked", dir);
        sluice = project.open();
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
    }

    private static String hash(String value) {
        return (String) Mask.HASH.apply(value);
    }

    @Test
    void aReaderWithoutUnmaskSeesTheMartsEmailHashed() {
        QueryResult masked = sluice.query("SELECT email, orders, revenue FROM email_revenue ORDER BY orders DESC, email");
        assertThat(masked.rows()).hasSize(3).first().satisfies(row -> {
            assertThat(row.get(0)).isEqualTo(hash("ann@example.com"));
            assertThat(row.get(1)).isEqualTo(2L);
        });
        assertThat(masked.rows().toString()).doesNotContain(CLEAR.toArray(new String[0]));

        QueryResult clear = sluice.query("SELECT email FROM email_revenue ORDER BY orders DESC, email", Access.UNMASKED);
        assertThat(clear.rows().get(0)).containsExactly("ann@example.com");
    }

    @Test
    void everyRouteToTheValueIsMasked() {
        // the source table, the view over it (partial phone), the joined table, a join written by the reader
        assertThat(sluice.query("SELECT email, phone FROM raw.customers WHERE id = 1").rows())
                .containsExactly(List.of(hash("ann@example.com"), "************0958"));
        assertThat(sluice.query("SELECT phone FROM stg_customers WHERE id = 3").rows())
                .containsExactly(List.of("****0100"));
        assertThat(sluice.query("SELECT c.email FROM main.customer_orders c JOIN email_revenue r ON r.email = c.email "
                + "WHERE c.order_id = 12").rows()).containsExactly(List.of(hash("bob@example.org")));
        String everything = sluice.query("SELECT * FROM customer_orders").rows().toString()
                + sluice.query("SUMMARIZE email_revenue").rows()
                + sluice.query("SELECT string_agg(email, ',') FROM stg_customers").rows();
        assertThat(everything).doesNotContain(CLEAR.toArray(new String[0]));
        try (QueryStream stream = sluice.stream("SELECT email FROM customer_orders WHERE order_id = 10")) {
            assertThat(stream.next()).containsExactly(hash("ann@example.com"));
        }
    }

    @Test
    void aColumnDeclaredUnmaskedAndAHashedColumnStayClear() {
        // a count declared unmasked; a hash computed by the model (masking in its lineage) is not hashed again
        assertThat(sluice.query("SELECT country, customers FROM country_customers ORDER BY country").rows())
                .containsExactly(List.of("FR", 1L), List.of("UK", 2L));
        assertThat(sluice.query("SELECT email_key FROM customer_keys WHERE order_id = 12").rows())
                .containsExactly(List.of(hash("bob@example.org")));
        assertThat(sluice.query("SELECT relation, column_name, mask, declared FROM sluice.column_masks "
                + "ORDER BY ALL").rows()).containsExactly(
                        List.of("main.customer_orders", "email", "hash", false),
                        List.of("main.email_revenue", "email", "hash", false),
                        List.of("main.stg_customers", "email", "hash", false),
                        List.of("main.stg_customers", "phone", "partial", false),
                        List.of("raw.customers", "email", "hash", true),
                        List.of("raw.customers", "phone", "partial", true));
    }

    @Test
    void theCatalogsQualitySampleHoldsNoClearValue() {
        List<List<Object>> samples = sluice.query("SELECT rule, sample FROM sluice.quality_results "
                + "WHERE model = 'main.customer_orders' AND rows_failed > 0", Access.UNMASKED).rows();
        assertThat(samples).hasSize(1);
        assertThat((String) samples.get(0).get(1)).contains(hash("ann@example.com"), "-5")
                .doesNotContain(CLEAR.toArray(new String[0]));
    }

    @Test
    void theCliMasksUnlessAskedToUnmaskAndDocsHoldNoClearValue() throws Exception {
        String root = project.root().toString();
        String masked = ProjectFixture.sluice(0, "query", root, "SELECT email FROM email_revenue");
        assertThat(masked).contains(hash("ann@example.com")).doesNotContain(CLEAR.toArray(new String[0]));
        assertThat(ProjectFixture.sluice(0, "query", root, "SELECT email FROM email_revenue", "--unmask"))
                .contains(CLEAR.toArray(new String[0]));

        Path docs = dir.resolve("docs.html");
        ProjectFixture.sluice(0, "docs", root, "--output", docs.toString());
        assertThat(Files.readString(docs)).doesNotContain(CLEAR.toArray(new String[0]));
        try (Stream<Path> files = Files.list(project.root().resolve("target"))) {
            assertThat(files).isNotEmpty();
        }
    }
}
