package dev.sluice.connect.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.SourceChange;
import dev.sluice.RunOptions;
import dev.sluice.postgres.PostgresServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracked {@code type: jdbc} sources against a real PostgreSQL: a watermark with an overlap (pushed down to the
 * source), row hashes computed by PostgreSQL, parallel reads split on a numeric key, and the lineage of a read.
 */
class JdbcTrackingIT {
    private static JdbcFixture postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void createTables() {
        postgres = new JdbcFixture("jdbc_tracking");
    }

    @AfterEach
    void disarm() {
        JdbcReader.afterFirstChunk = () -> { };
        JdbcReader.afterRead = rows -> { };
    }

    @Test
    void aWatermarkReadsOnlyNewRowsAndTheOverlapCatchesLateOnes() {
        postgres.execute("CREATE TABLE events (id bigint, amount numeric(10,2), updated_at timestamp)",
                "INSERT INTO events VALUES (1, 1.50, '2026-01-01 10:00'), (2, 2.50, '2026-01-01 11:00'), "
                        + "(3, 3.50, '2026-01-01 12:00')");
        ProjectFixture project = postgres.project(dir, "events", """
                table: events
                watermark: updated_at
                overlap: 1 hour
                key: id
                """);
        RunResult first = project.run();
        assertThat(first.succeeded()).as(String.valueOf(first)).isTrue();
        assertThat(first.sources().get(0).rows()).isEqualTo(3);

        // One new row, one late row inside the overlap (caught), one late row below it (missed, as designed).
        postgres.execute("INSERT INTO events VALUES (4, 4.50, '2026-01-01 13:00'), (5, 5.50, '2026-01-01 11:30'), "
                + "(6, 6.50, '2026-01-01 09:00')");
        Sluice sluice = project.open();
        assertThat(sluice.pendingChanges(RunOptions.defaults())).singleElement().extracting(SourceChange::summary)
                .asString().startsWith("1 rows above the watermark 2026-01-01 12:00:00, updated_at from 2026-01-01 13:00:00");
        Path events = dir.resolve("events.jsonl");
        RunResult second = project.run(RunOptions.defaults().withOpenLineage(events.toString()));
        assertThat(second.sources().get(0).rows()).isEqualTo(2);
        postgres.assertSameRows(sluice, "SELECT CAST(id AS VARCHAR), CAST(amount AS VARCHAR) FROM raw.events",
                "SELECT id::text, amount::text FROM events WHERE id <> 6");

        // Nothing new: the overlap's rows are read again and recognised.
        assertThat(project.run().sources().get(0).rows()).isZero();
        assertThat(JdbcFixture.warehouseRows(sluice, "SELECT count(*) FROM raw.events")).containsExactly(
                List.of("5"));

        // The run's lineage names the dataset as OpenLineage does (namespace postgres://host:port, name
        // database.schema.table), with the watermark range read.
        String inputs = JdbcFixture.warehouseRows(sluice, "SELECT inputs FROM sluice.lineage_runs WHERE run_id = "
                + second.runId() + " AND model = 'main.events_count'").get(0).get(0);
        assertThat(inputs).contains("\"watermark_from\":\"2026-01-01 12:00:00\"")
                .contains("\"watermark_to\":\"2026-01-01 13:00:00\"");
        assertThat(events).content().contains("\"uri\":\"postgres://localhost:" + PostgresServer.shared().getPort()
                + "/" + postgres.database + ".public.events\"");
    }

    @Test
    void theWatermarkConditionIsPushedDownToTheSource() {
        postgres.execute("CREATE TABLE pushed (id integer, updated_at timestamptz)",
                "INSERT INTO pushed SELECT i, TIMESTAMPTZ '2026-01-01 00:00+00' + i * INTERVAL '1 minute' "
                        + "FROM generate_series(1, 100) AS i");
        ProjectFixture project = postgres.project(dir, "pushed", "table: pushed\nwatermark: updated_at\n"
                + "overlap: 10 minutes\n");
        assertThat(project.run().sources().get(0).rows()).isEqualTo(100);
        // Count the rows the next read stages: only those above the mark less the overlap leave PostgreSQL.
        AtomicLong staged = new AtomicLong();
        postgres.execute("INSERT INTO pushed VALUES (101, '2026-01-01 01:41+00')");
        JdbcReader.afterRead = rows -> staged.set(rows);
        assertThat(project.run().sources().get(0).rows()).isEqualTo(1);
        assertThat(staged.get()).isEqualTo(11);
    }

    @Test
    void rowHashesComputedByPostgresFindChangedNewAndDeletedKeys() {
        postgres.execute("CREATE TABLE customers (id int PRIMARY KEY, name text, tier text)",
                "INSERT INTO customers VALUES (1, 'ann', 'gold'), (2, 'bob', 'silver'), (3, 'cid', NULL)");
        ProjectFixture project = postgres.project(dir, "customers", "table: customers\ndetection: row_hash\n"
                + "key: id\n");
        assertThat(project.run().sources().get(0).rows()).isEqualTo(3);
        Sluice sluice = project.open();
        // The hash each row was compared by is PostgreSQL's md5 of the row.
        assertThat(JdbcFixture.warehouseRows(sluice, "SELECT _sluice_source_hash FROM raw.customers__sluice_data "
                + "WHERE id = 1")).containsExactlyElementsOf(postgres.sourceRows(
                        "SELECT md5(CAST(c AS text)) FROM customers AS c WHERE id = 1"));

        postgres.execute("UPDATE customers SET tier = 'gold' WHERE id = 2", "DELETE FROM customers WHERE id = 3",
                "INSERT INTO customers VALUES (4, 'dee', 'bronze')");
        assertThat(sluice.pendingChanges(RunOptions.defaults())).singleElement().extracting(SourceChange::summary)
                .asString().isEqualTo("3 rows; new, changed and deleted keys are found when it loads");
        Path events = dir.resolve("events.jsonl");
        RunResult second = project.run(RunOptions.defaults().withOpenLineage(events.toString()));
        assertThat(second.sources().get(0).rows()).isEqualTo(2);
        postgres.assertSameRows(sluice, "SELECT CAST(id AS VARCHAR), name, tier FROM raw.customers",
                "SELECT id::text, name, tier FROM customers");
        assertThat(project.run().sources().get(0).rows()).isZero();
    }

    @Test
    void fourPartitionsReadTheSameRowsAsOneReadEachOnItsOwnConnection() {
        postgres.execute("CREATE TABLE measures (id bigint, reading numeric(8,3), note text)",
                "INSERT INTO measures SELECT i, i / 7.0, 'n' || i FROM generate_series(1, 200000) AS i",
                "INSERT INTO measures VALUES (NULL, 1.000, 'no id'), (-5, 2.000, 'negative')");
        ProjectFixture single = postgres.project(dir, "single", "table: measures\n");
        ProjectFixture split = postgres.project(dir, "split", "table: measures\npartitions: 4\n"
                + "partition_column: id\nfetch_size: 500\n");
        AtomicLong connections = new AtomicLong();
        // Counted when the read ends, before its pool closes: every partition's connection is taken before the first
        // read starts, so the four partitions read in parallel, each on a connection of its own.
        JdbcReader.afterRead = staged -> connections.set(Long.parseLong(postgres.sourceRows(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sluice' AND datname = '"
                        + postgres.database + "'").get(0).get(0)));
        assertThat(split.run().sources().get(0).rows()).isEqualTo(200002);
        assertThat(connections.get()).isEqualTo(4L);
        disarm();
        assertThat(single.run().sources().get(0).rows()).isEqualTo(200002);
        String rows = "SELECT CAST(id AS VARCHAR), CAST(reading AS VARCHAR), note FROM raw.";
        postgres.assertSameRows(split.open(), rows + "split", "SELECT id::text, reading::text, note FROM measures");
        postgres.assertSameRows(single.open(), rows + "single", "SELECT id::text, reading::text, note FROM measures");
    }
}
