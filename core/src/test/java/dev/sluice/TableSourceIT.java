package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.engine.Session;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table sources in another DuckDB file, watched by a watermark or by row hashes, never changed by Sluice. */
class TableSourceIT {
    @TempDir
    Path dir;

    /** The table_customers scenario, its source's change detection given as lines of YAML under it. */
    private Path project(String detection) {
        ProjectFixture project = ProjectFixture.copy("table_customers", dir);
        project.replace("sluice.yml", "    key: [id]\n", "    key: [id]\n" + detection + "\n");
        return project.root();
    }

    private static void external(Path project, String... statements) {
        try (DuckDbEngine engine = DuckDbEngine.open(project.resolve("data/crm.duckdb"), 0, null);
                Session session = engine.session()) {
            for (String statement : statements) {
                session.execute(statement);
            }
        }
    }

    private static long count(Sluice sluice, String sql) {
        return ((Number) sluice.query(sql).rows().get(0).get(0)).longValue();
    }

    private static void assertSameAsFullRebuild(Sluice sluice) {
        assertThat(count(sluice, "SELECT count(*) FROM (SELECT * FROM main.customers_inc EXCEPT ALL "
                + "SELECT * FROM main.customers_full)")).isZero();
        assertThat(count(sluice, "SELECT count(*) FROM (SELECT * FROM main.customers_full EXCEPT ALL "
                + "SELECT * FROM main.customers_inc)")).isZero();
    }

    private static List<Object> detection(Sluice sluice, long runId) {
        return sluice.query("SELECT new_rows, changed_rows, retracted_rows FROM sluice.detections WHERE run_id = "
                + runId).rows().get(0);
    }

    @Test
    void watermarkReadsOnlyRowsAboveItAndReReadsTheOverlap() {
        Path project = project("    watermark: updated_at\n    overlap: 1 hour");
        external(project, "CREATE TABLE customers (id BIGINT, name VARCHAR, updated_at TIMESTAMP)",
                "INSERT INTO customers VALUES (1, 'ann', TIMESTAMP '2026-01-01 10:00'), "
                        + "(2, 'bob', TIMESTAMP '2026-01-01 11:00'), (3, 'cid', TIMESTAMP '2026-01-01 12:00')");
        Sluice sluice = Sluice.open(project);
        RunResult first = sluice.run(RunOptions.defaults());
        assertThat(first.succeeded()).isTrue();
        assertThat(first.sources().get(0).rows()).isEqualTo(3);

        external(project,
                "INSERT INTO customers VALUES (4, 'dan', TIMESTAMP '2026-01-01 13:00')",
                // a late update: below the high-water mark (12:00), within the one-hour overlap
                "UPDATE customers SET name = 'bobby', updated_at = TIMESTAMP '2026-01-01 11:30' WHERE id = 2",
                // changed far below the overlap: a watermark cannot see it, by design
                "UPDATE customers SET name = 'annie' WHERE id = 1");
        assertThat(sluice.pendingChanges(RunOptions.defaults())).singleElement().satisfies(change -> assertThat(
                change.summary()).isEqualTo("1 rows above the watermark 2026-01-01 12:00:00, updated_at from "
                        + "2026-01-01 13:00:00 to 2026-01-01 13:00:00; overlap re-read: 1 hour"));
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.succeeded()).isTrue();
        assertThat(detection(sluice, second.runId())).containsExactly(1L, 1L, 0L);
        assertThat(sluice.query("SELECT watermark_from, watermark_to FROM sluice.detections WHERE run_id = "
                + second.runId()).rows()).containsExactly(List.of("2026-01-01 12:00:00", "2026-01-01 13:00:00"));
        assertThat(second.model("customers_inc").get().reason()).contains("incremental: new rows of crm.customers");
        assertThat(count(sluice, "SELECT count(*) FROM main.customers_inc WHERE name = 'BOBBY'")).isEqualTo(1);
        assertThat(count(sluice, "SELECT count(*) FROM crm.customers")).isEqualTo(4);
        assertSameAsFullRebuild(sluice);

        RunResult third = sluice.run(RunOptions.defaults());
        assertThat(detection(sluice, third.runId())).containsExactly(0L, 0L, 0L);
        assertThat(third.model("customers_inc").get().reason()).contains("up to date");
    }

    @Test
    void rowHashFindsNewChangedAndDeletedKeys() {
        Path project = project("    change_detection: row_hash");
        external(project, "CREATE TABLE customers (id BIGINT, name VARCHAR, updated_at TIMESTAMP)",
                "INSERT INTO customers SELECT range, 'c' || range, TIMESTAMP '2026-01-01' FROM range(1, 101)");
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.pendingChanges(RunOptions.defaults())).singleElement().satisfies(change -> assertThat(
                change.summary()).isEqualTo("100 rows, all new (first load)"));
        sluice.run(RunOptions.defaults());
        external(project, "UPDATE customers SET name = 'changed' WHERE id = 7", "DELETE FROM customers WHERE id = 9",
                "INSERT INTO customers VALUES (500, 'new', TIMESTAMP '2026-02-01')");
        assertThat(sluice.pendingChanges(RunOptions.defaults())).singleElement().satisfies(change -> assertThat(
                change.summary()).startsWith("100 rows, 2 new or changed"));
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(detection(sluice, second.runId())).containsExactly(1L, 1L, 1L);
        assertThat(second.model("customers_inc").get().reason()).contains("rows of crm.customers were retracted");
        assertThat(count(sluice, "SELECT count(*) FROM crm.customers")).isEqualTo(100);
        assertSameAsFullRebuild(sluice);

        external(project, "UPDATE customers SET name = 'again' WHERE id = 8");
        RunResult third = sluice.run(RunOptions.defaults());
        assertThat(detection(sluice, third.runId())).containsExactly(0L, 1L, 0L);
        assertThat(third.model("customers_inc").get().reason()).contains("incremental");
        assertThat(third.model("customers_inc").get().rows()).isEqualTo(1);
        assertSameAsFullRebuild(sluice);
    }

    @Test
    void withoutDetectionEveryRunReadsTheWholeTable() {
        Path project = project("");
        external(project, "CREATE TABLE customers (id BIGINT, name VARCHAR, updated_at TIMESTAMP)",
                "INSERT INTO customers VALUES (1, 'ann', TIMESTAMP '2026-01-01 10:00')");
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).sources().get(0).rows()).isEqualTo(1);
        external(project, "INSERT INTO customers VALUES (2, 'bob', TIMESTAMP '2026-01-01 09:00')");
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.succeeded()).isTrue();
        assertThat(second.sources().get(0).rows()).isEqualTo(2);
        assertThat(count(sluice, "SELECT count(*) FROM crm.customers")).isEqualTo(2);
        assertSameAsFullRebuild(sluice);
    }
}
