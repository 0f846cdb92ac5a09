package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files sources read in place (issue 16): where nothing needs a copy, or with {@code load: in_place}, the source's
 * relation is a view over its files, so a run writes none of its rows into the warehouse; gates, load records,
 * incremental models and queries work on it as on a copied table, and a copy is kept where rejects, tracking or
 * quarantine need one.
 */
class InPlaceSourceIT {
    private static final String SOURCE = """
            name: p
            sources:
              raw.orders:
                type: files
                path: data/orders/*.csv
            %s
            """;

    @TempDir
    Path dir;

    private ProjectFixture project;

    @BeforeEach
    void write() {
        project = ProjectFixture.at(dir.resolve("p"));
        project.files("data/orders/a.csv", "order_id,customer,amount\n1,ann,10.50\n2,bob,20.00\n",
                "data/orders/b.csv", "order_id,customer,amount\n3,ann,5.25\n",
                "models/totals.sql", "/*---\nmaterialized: table\n---*/\n"
                        + "SELECT customer, sum(amount) AS total, count(*) AS orders FROM raw.orders GROUP BY customer");
    }

    private void source(String extra) {
        project.write("sluice.yml", String.format(SOURCE, extra.indent(4).stripTrailing()));
    }

    private String relationType() {
        return (String) project.query("SELECT table_type FROM information_schema.tables WHERE table_schema = 'raw' "
                + "AND table_name = 'orders'").rows().get(0).get(0);
    }

    private RunResult succeeded() {
        RunResult result = project.run();
        assertThat(result.succeeded()).as(result.toString()).isTrue();
        return result;
    }

    @Test
    void bydefaultASourceNeedingNoCopyIsAViewOverItsFilesThatEveryRunReadsAnew() throws IOException {
        source("");
        RunResult first = succeeded();
        assertThat(relationType()).isEqualTo("VIEW");
        // No table model reads order_id: the load counts the rows converting that column, as a copy would.
        assertThat(first.sources().get(0).rows()).isEqualTo(3);
        assertThat(first.sources().get(0).counted()).isTrue();
        assertThat(project.query("SELECT status, rows FROM sluice.source_loads WHERE source = 'raw.orders'").rows())
                .containsExactly(List.of("success", 3L));
        assertThat(project.query("SELECT customer, total FROM main.totals ORDER BY customer").rows())
                .containsExactly(List.of("ann", 15.75), List.of("bob", 20.0));
        // No row of the source is held in the warehouse.
        assertThat(project.query("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'raw'").rows())
                .containsExactly(List.of(0L));

        project.write("data/orders/c.csv", "order_id,customer,amount\n4,cid,1.00\n");
        RunResult second = succeeded();
        assertThat(second.sources().get(0).rows()).isEqualTo(4);
        assertThat(project.query("SELECT count(*) FROM raw.orders").rows()).containsExactly(List.of(4L));
        assertThat(project.query("SELECT sum(orders) FROM main.totals").rows())
                .containsExactly(List.of(java.math.BigInteger.valueOf(4)));
    }

    @Test
    void whenTableModelsReadEveryColumnTheLoadReadsNoRowAndDoesNotCount() {
        source("");
        project.write("models/totals.sql", "/*---\nmaterialized: table\n---*/\n"
                + "SELECT customer, sum(amount) AS total, count(*) AS orders, max(order_id) AS last FROM raw.orders "
                + "GROUP BY customer");
        RunResult result = succeeded();
        assertThat(relationType()).isEqualTo("VIEW");
        // totals converts every column of every row as it builds: the load only creates the view and records it.
        assertThat(result.sources().get(0).rows()).isEqualTo(SourceResult.UNCOUNTED);
        assertThat(result.sources().get(0).counted()).isFalse();
        assertThat(project.query("SELECT status, rows FROM sluice.source_loads WHERE source = 'raw.orders'").rows())
                .containsExactly(java.util.Arrays.asList("success", null));
        assertThat(project.query("SELECT customer, total, last FROM main.totals ORDER BY customer").rows())
                .containsExactly(List.of("ann", 15.75, 3L), List.of("bob", 20.0, 2L));
    }

    @Test
    void parquetFilesReadInPlaceAreCountedFromTheirMetadata() throws java.sql.SQLException {
        try (java.sql.Connection duckdb = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                java.sql.Statement statement = duckdb.createStatement()) {
            statement.execute("COPY (SELECT range AS order_id, 'ann' AS customer, 1.5 AS amount FROM range(5)) TO '"
                    + dir.resolve("p/data/orders.parquet") + "' (FORMAT parquet)");
        }
        project.write("sluice.yml", String.format(SOURCE, "").replace("data/orders/*.csv", "data/orders.parquet"));
        RunResult result = succeeded();
        assertThat(relationType()).isEqualTo("VIEW");
        assertThat(result.sources().get(0).rows()).isEqualTo(5);
        assertThat(project.query("SELECT rows FROM sluice.source_loads WHERE source = 'raw.orders'").rows())
                .containsExactly(List.of(5L));
    }

    @Test
    void aValuePastTheSniffedLinesFailsTheModelReadingItNamingTheFileAndKeepsItsTable() {
        source("");
        succeeded();
        // DuckDB sniffs the types from the first lines of a file: order_id reads as a number until the last line.
        project.write("data/orders/b.csv", pastTheSniffedLines());
        // totals reads every column: the load leaves their conversion to it.
        project.write("models/totals.sql", "/*---\nmaterialized: table\n---*/\n"
                + "SELECT customer, sum(amount) AS total, count(*) AS orders, max(order_id) AS last FROM raw.orders "
                + "GROUP BY customer");
        RunResult failed = project.run();
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.sources().get(0).loaded()).isTrue();
        assertThat(failed.models().get(0).error()).startsWith("Cannot build model totals (models/totals.sql): ")
                .contains("b.csv").contains("x");
        // The model's table is the one of the run before.
        assertThat(project.query("SELECT customer, total FROM main.totals ORDER BY customer").rows())
                .containsExactly(List.of("ann", 15.75), List.of("bob", 20.0));
    }

    @Test
    void columnsATableModelReadsThroughAViewAndAnEphemeralModelAreLeftToItAndAViewAloneIsCounted()
            throws IOException {
        source("");
        project.write("models/stg.sql", "SELECT CAST(order_id AS BIGINT) AS id, upper(customer) AS customer, amount "
                + "FROM raw.orders WHERE amount > 0");
        project.write("models/named.sql", "/*---\nmaterialized: ephemeral\n---*/\nSELECT id, customer FROM stg");
        project.write("models/totals.sql", "/*---\nmaterialized: table\n---*/\n"
                + "SELECT n.customer, count(*) AS orders, max(n.id) AS last, sum(s.amount) AS total FROM named n "
                + "JOIN stg s ON s.id = n.id GROUP BY n.customer");
        RunResult result = succeeded();
        // totals reads order_id and customer through the ephemeral model and the view, amount through the view.
        assertThat(result.sources().get(0).counted()).isFalse();
        assertThat(project.query("SELECT customer, orders, last, total FROM main.totals ORDER BY customer").rows())
                .containsExactly(List.of("ANN", 2L, 3L, 15.75), List.of("BOB", 1L, 2L, 20.0));

        // Without a table model reading it, nothing of the run converts the view's rows: the load counts them.
        Files.delete(dir.resolve("p/models/totals.sql"));
        Files.delete(dir.resolve("p/models/named.sql"));
        assertThat(succeeded().sources().get(0).rows()).isEqualTo(3);
    }

    @Test
    void aValuePastTheSniffedLinesInAColumnNoTableModelReadsFailsTheLoadNamingTheSourceAndFile() {
        source("");
        succeeded();
        project.write("data/orders/b.csv", pastTheSniffedLines());
        // totals reads customer and amount, not order_id: only the load converts it.
        RunResult failed = project.run();
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.sources().get(0).loaded()).isFalse();
        assertThat(failed.sources().get(0).error()).startsWith("Cannot load source raw.orders (sluice.yml:3:3) from "
                + "path data/orders/*.csv: Conversion Error: CSV Error on Line: 30002")
                .contains("Original Line: x,bob,2.00").endsWith("; fix the data, or the source's definition in sluice.yml");
        assertThat(project.query("SELECT customer, total FROM main.totals ORDER BY customer").rows())
                .containsExactly(List.of("ann", 15.75), List.of("bob", 20.0));
    }

    @Test
    void aTableModelWithALimitDoesNotStandInForTheLoadsConversion() {
        source("");
        project.write("models/totals.sql", "/*---\nmaterialized: table\n---*/\n"
                + "SELECT order_id, customer, amount FROM raw.orders ORDER BY order_id LIMIT 2");
        assertThat(succeeded().sources().get(0).rows()).isEqualTo(3);
        project.write("data/orders/b.csv", pastTheSniffedLines());
        RunResult failed = project.run();
        assertThat(failed.sources().get(0).error()).startsWith("Cannot load source raw.orders (sluice.yml:3:3) from "
                + "path data/orders/*.csv: Conversion Error: CSV Error on Line: 30002");
    }

    /** 30,000 lines whose order_id DuckDB sniffs as a number, then one whose order_id is not. */
    private static String pastTheSniffedLines() {
        StringBuilder lines = new StringBuilder("order_id,customer,amount\n");
        for (int i = 0; i < 30_000; i++) {
            lines.append(i).append(",ann,1.00\n");
        }
        return lines.append("x,bob,2.00\n").toString();
    }

    @Test
    void loadCopyKeepsATableAndASourceMovesBetweenCopyAndInPlace() {
        source("load: copy");
        succeeded();
        assertThat(relationType()).isEqualTo("BASE TABLE");

        source("load: in_place");
        succeeded();
        assertThat(relationType()).isEqualTo("VIEW");

        source("change_detection: manifest");
        RunResult tracked = succeeded();
        assertThat(tracked.sources().get(0).rows()).isEqualTo(3);
        source("");
        succeeded();
        assertThat(relationType()).isEqualTo("VIEW");
        assertThat(project.query("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'raw'").rows())
                .containsExactly(List.of(0L));
        assertThat(project.query("SELECT count(*) FROM main.totals").rows()).containsExactly(List.of(2L));
    }

    @Test
    void declaredColumnsCopyByDefaultAndReadInPlaceWithTheirTypesWhenAsked() {
        source("columns: { order_id: BIGINT, customer: VARCHAR, amount: 'DECIMAL(10,2)' }");
        succeeded();
        assertThat(relationType()).isEqualTo("BASE TABLE");

        source("columns: { order_id: BIGINT, customer: VARCHAR, amount: 'DECIMAL(10,2)' }\nload: in_place");
        succeeded();
        assertThat(relationType()).isEqualTo("VIEW");
        assertThat(project.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
                + "'raw' AND table_name = 'orders' ORDER BY ordinal_position").rows()).containsExactly(
                List.of("order_id", "BIGINT"), List.of("customer", "VARCHAR"), List.of("amount", "DECIMAL(10,2)"));
        assertThat(project.query("SELECT total FROM main.totals WHERE customer = 'ann'").rows())
                .containsExactly(List.of(new BigDecimal("15.75")));
    }

    @Test
    void sourceGatesCheckTheViewAndAFailedGateLeavesThePreviousRelation() {
        source("quality:\n  - not_null: [customer]");
        RunResult passed = succeeded();
        assertThat(relationType()).isEqualTo("VIEW");
        assertThat(passed.sources().get(0).quality()).extracting(QualityResult::verdict).containsExactly("pass");

        project.write("data/orders/c.csv", "order_id,customer,amount\n4,,1.00\n");
        RunResult failed = project.run();
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.sources().get(0).error()).startsWith("Cannot load source raw.orders (sluice.yml:3:3): "
                + "quality rule 'not_null(customer)'");
        assertThat(project.query("SELECT status FROM sluice.source_loads WHERE source = 'raw.orders' ORDER BY run_id")
                .rows()).containsExactly(List.of("success"), List.of("failed"));
        assertThat(relationType()).isEqualTo("VIEW");
    }

    @Test
    void aQuarantineRuleCopiesByDefaultAndIsRefusedBesideLoadInPlace() {
        source("quality:\n  - not_null: [customer]\n    severity: quarantine");
        succeeded();
        assertThat(relationType()).isEqualTo("BASE TABLE");

        source("load: in_place\nquality:\n  - not_null: [customer]\n    severity: quarantine");
        RunResult refused = project.run();
        assertThat(refused.succeeded()).isFalse();
        assertThat(refused.sources().get(0).error()).isEqualTo("Cannot load source raw.orders (sluice.yml:3:3) in "
                + "place: quality rule 'not_null(customer)' (sluice.yml:8:9) moves failing rows to a quarantine table, "
                + "which needs its rows copied into the warehouse; set load: copy on the source, or remove what needs "
                + "the copy");
        assertThat(relationType()).isEqualTo("BASE TABLE");
    }

    @Test
    void loadInPlaceIsRefusedWithSettingsThatNeedACopy() {
        source("load: in_place\nchange_detection: manifest\nmax_rejected_fraction: 0.1");
        String message = ProjectFixture.failure(() -> project.open()).getMessage();
        assertThat(message).contains("Cannot read source raw.orders: load: in_place cannot track files by "
                + "change_detection: manifest (the rows of each file read are kept in the warehouse); set load: copy, "
                + "or remove change_detection")
                .contains("Cannot read source raw.orders: load: in_place keeps no rejected lines, so "
                        + "max_rejected_fraction cannot apply; set load: copy, or remove max_rejected_fraction");
    }

    @Test
    void filesGoneLaterAreNamedBySourceAndPathWhenTheViewIsRead() throws IOException {
        project.write("sluice.yml", String.format(SOURCE, "").replace("data/orders/*.csv", "data/one.csv"));
        project.write("data/one.csv", "order_id,customer,amount\n1,ann,10.50\n");
        succeeded();
        Files.delete(project.root().resolve("data/one.csv"));

        String message = ProjectFixture.failure(() -> project.query("SELECT * FROM raw.orders")).getMessage();
        assertThat(message).isEqualTo("Cannot read source raw.orders (sluice.yml:3:3): it is read in place from path "
                + "data/one.csv, and no file matches that path any more; put the files back, or fix the source's path "
                + "in sluice.yml and run again (load: copy keeps the last rows loaded in the warehouse instead)");
        // The model built from it keeps its rows.
        assertThat(project.query("SELECT total FROM main.totals").rows()).containsExactly(List.of(10.5));
    }

    @Test
    void anIncrementalModelReadingTheViewMergesWhatChanged() {
        source("");
        project.write("models/latest.sql", "/*---\nmaterialized: incremental\nincremental: { strategy: merge, "
                + "unique_key: order_id }\n---*/\nSELECT order_id, customer, amount FROM raw.orders");
        succeeded();
        project.write("data/orders/b.csv", "order_id,customer,amount\n3,ann,6.25\n5,eve,2.00\n");
        succeeded();
        assertThat(project.query("SELECT order_id, amount FROM main.latest ORDER BY order_id").rows())
                .containsExactly(List.of(1L, 10.5), List.of(2L, 20.0), List.of(3L, 6.25), List.of(5L, 2.0));
    }
}
