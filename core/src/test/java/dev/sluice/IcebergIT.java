package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.exec.FaultPoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.NullOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lake outputs written as Iceberg tables ({@code storage: { format: iceberg }}), driven from the iceberg_orders model
 * folder: a full build, an append, a merge rewriting only the files it touches, a failure mid-commit, time travel;
 * read back by Sluice's views and by Iceberg's own generic reader through Hadoop's tables (not Sluice).
 */
class IcebergIT {
    @TempDir
    Path dir;
    Path project;
    Sluice sluice;

    @BeforeEach
    void firstRun() {
        project = ProjectFixture.copy("iceberg_orders", dir).root();
        sluice = Sluice.open(project);
        RunResult run = sluice.run(RunOptions.defaults());
        assertThat(run.models()).allSatisfy(m -> assertThat(m.error()).as(m.model()).isNull());
    }

    @AfterEach
    void disarm() {
        FaultPoints.disarm(FaultPoints.LAKE_WRITE);
        FaultPoints.disarm(FaultPoints.COMPACTION);
    }

    @Test
    void aFullBuildIsAnIcebergTableWithTheOptimisersLayoutAndTheModelsRows() {
        assertThat(exceptAll("SELECT id, region, ordered_at, paid_at, amount, quantity, CAST(ordered_at AS DATE) "
                + "FROM raw.orders", "SELECT * FROM main.orders_full")).isZero();
        assertThat(sluice.query("DESCRIBE main.orders_full").rows().stream().map(r -> r.get(0) + " " + r.get(1))
                .toList()).containsExactly("id BIGINT", "region VARCHAR", "ordered_at TIMESTAMP",
                        "paid_at TIMESTAMP WITH TIME ZONE", "amount DECIMAL(12,2)", "quantity SMALLINT",
                        "order_date DATE");

        Table table = table("orders_full");
        assertThat(table.schema().asStruct().fields().stream().map(f -> f.name() + " " + f.type()).toList())
                .containsExactly("id long", "region string", "ordered_at timestamp", "paid_at timestamptz",
                        "amount decimal(12, 2)", "quantity int", "order_date date");
        assertThat(table.spec().fields()).singleElement().satisfies(field -> {
            assertThat(field.transform().toString()).isEqualTo("identity");
            assertThat(table.schema().findColumnName(field.sourceId())).isEqualTo("region");
        });
        assertThat(table.sortOrder().fields()).singleElement().satisfies(field -> {
            assertThat(table.schema().findColumnName(field.sourceId())).isEqualTo("id");
            assertThat(field.nullOrder()).isEqualTo(NullOrder.NULLS_LAST);
        });
        assertThat(table.properties()).containsKey(TableProperties.WRITE_TARGET_FILE_SIZE_BYTES)
                .containsKey(TableProperties.PARQUET_COMPRESSION).containsKey(TableProperties.DEFAULT_NAME_MAPPING);
        // one file per region, each with its partition and the footer's metrics
        List<DataFile> files = files(table);
        assertThat(files).hasSize(4);
        assertThat(files).allSatisfy(file -> {
            assertThat(file.partition().get(0, String.class)).isIn("north", "south", "east", "west");
            assertThat(file.recordCount()).isPositive();
            assertThat(file.lowerBounds()).isNotEmpty();
            assertThat(file.nullValueCounts()).isNotEmpty();
        });
        assertThat(files.stream().mapToLong(DataFile::recordCount).sum()).isEqualTo(5);
        // each publish one commit, recorded with its run
        assertThat(sluice.query("SELECT model, version, operation FROM sluice.iceberg_snapshots ORDER BY model")
                .rows()).containsExactly(List.of("main.orders_appended", 1, "append"),
                        List.of("main.orders_full", 1, "append"), List.of("main.orders_merged", 1, "append"));
        assertThat(table.history()).hasSize(1);
    }

    @Test
    void icebergsOwnGenericReaderReadsTheRowsTheWarehouseHas() {
        List<List<String>> iceberg = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table("orders_full")).build()) {
            for (Record record : records) {
                List<String> row = new ArrayList<>();
                for (int i = 0; i < record.size(); i++) {
                    row.add(Objects.toString(record.get(i), null));
                }
                iceberg.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        iceberg.sort(Comparator.comparing(row -> Long.parseLong(row.get(0))));
        List<List<String>> warehouse = sluice.query("SELECT id, region, ordered_at, paid_at, amount, quantity, "
                + "CAST(ordered_at AS DATE) FROM raw.orders ORDER BY id").rows().stream()
                .map(row -> row.stream().map(value -> Objects.toString(value, null)).toList()).toList();
        assertThat(iceberg).isEqualTo(warehouse);
        assertThat(iceberg).hasSize(5);
    }

    @Test
    void anAppendAddsFilesAndAMergeRewritesOnlyTheFilesHoldingTouchedKeys() throws IOException {
        Set<String> appendedBefore = paths(files(table("orders_appended")));
        List<DataFile> mergedBefore = files(table("orders_merged"));

        RunResult second = secondBatch();
        assertThat(second.models()).allSatisfy(m -> assertThat(m.error()).as(m.model()).isNull());

        // append: the earlier file kept as it is, one file added, one commit
        Table appended = table("orders_appended");
        assertThat(appended.currentSnapshot().operation()).isEqualTo("append");
        assertThat(paths(files(appended))).containsAll(appendedBefore).hasSize(appendedBefore.size() + 1);
        assertThat(exceptAll("SELECT id, region, ordered_at, amount FROM raw.orders",
                "SELECT * FROM main.orders_appended")).isZero();

        // merge: only the south partition's file held a staged key; the others are the same files
        Table merged = table("orders_merged");
        assertThat(merged.currentSnapshot().operation()).isEqualTo("overwrite");
        Set<String> untouched = new HashSet<>();
        Set<String> touched = new HashSet<>();
        for (DataFile file : mergedBefore) {
            (file.partition().get(0, String.class).equals("south") ? touched : untouched).add(file.location());
        }
        Set<String> after = paths(files(merged));
        assertThat(after).containsAll(untouched).doesNotContainAnyElementsOf(touched).hasSize(4);
        assertThat(sluice.query("SELECT id, amount FROM main.orders_merged ORDER BY id").rows())
                .containsExactly(List.of(1L, new java.math.BigDecimal("10.50")),
                        List.of(2L, new java.math.BigDecimal("99.00")), List.of(3L, new java.math.BigDecimal("30.00")),
                        List.of(4L, new java.math.BigDecimal("40.75")), Arrays.asList(5L, null),
                        List.of(6L, new java.math.BigDecimal("60.00")));
        assertThat(sluice.query("SELECT count(*) FROM sluice.iceberg_snapshots WHERE run_id = " + second.runId())
                .rows()).containsExactly(List.of(3L));
    }

    @Test
    void aFailureMidCommitLeavesThePreviousSnapshotAndNoFilesBehind() throws IOException {
        Path folder = lake("orders_merged");
        List<Path> before = tree(folder);
        List<List<Object>> rows = sluice.query("SELECT * FROM main.orders_merged ORDER BY id").rows();
        long snapshot = table("orders_merged").currentSnapshot().snapshotId();
        FaultPoints.arm(FaultPoints.LAKE_WRITE, (model, session) -> {
            if (model.equals("orders_merged")) {
                throw new SluiceException(ErrorCode.RUN_FAILED, "injected: the disk filled up");
            }
        });

        RunResult failed = secondBatch();
        assertThat(failed.model("orders_merged").get().error()).contains("injected: the disk filled up");
        assertThat(failed.model("orders_appended").get().error()).isNull();
        assertThat(tree(folder)).isEqualTo(before);
        assertThat(table("orders_merged").currentSnapshot().snapshotId()).isEqualTo(snapshot);
        assertThat(sluice.query("SELECT * FROM main.orders_merged ORDER BY id").rows()).isEqualTo(rows);
        assertThat(sluice.query("SELECT count(*) FROM sluice.iceberg_snapshots WHERE model = 'main.orders_merged'")
                .rows()).containsExactly(List.of(1L));

        FaultPoints.disarm(FaultPoints.LAKE_WRITE);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        assertThat(exceptAll("SELECT id, region, ordered_at, amount FROM raw.orders QUALIFY row_number() OVER "
                + "(PARTITION BY id ORDER BY amount DESC NULLS LAST) = 1", "SELECT * FROM main.orders_merged"))
                .isZero();
    }

    @Test
    void lineageAsOfARunNamesTheSnapshotItLeftAndTheTableIsReadAsOfIt() throws IOException {
        long first = ((Number) sluice.query("SELECT max(run_id) FROM sluice.runs").rows().get(0).get(0)).longValue();
        long firstSnapshot = table("orders_appended").currentSnapshot().snapshotId();
        RunResult second = secondBatch();
        assertThat(second.succeeded()).isTrue();
        Table table = table("orders_appended");
        assertThat(table.currentSnapshot().parentId()).isEqualTo(firstSnapshot);

        assertThat(sluice.lineageAsOf(first).icebergSnapshots()).containsEntry("main.orders_appended", firstSnapshot)
                .containsKeys("main.orders_full", "main.orders_merged");
        assertThat(sluice.lineageAsOf(second.runId()).icebergSnapshots())
                .containsEntry("main.orders_appended", table.currentSnapshot().snapshotId());
        assertThat(sluice.readAsOf("orders_appended", first).rows()).hasSize(5);
        assertThat(sluice.readAsOf("main.orders_appended", second.runId()).rows()).hasSize(7);
        assertThat(sluice.readAsOf("orders_appended", first).rows().stream().map(row -> row.get(0)).sorted()
                .toList()).containsExactly(1L, 2L, 3L, 4L, 5L);
        SluiceException none = org.assertj.core.api.Assertions.catchThrowableOfType(SluiceException.class,
                () -> sluice.readAsOf("orders_appended", 0));
        assertThat(none.getMessage()).isEqualTo("Cannot read main.orders_appended as of run 0: the catalog records "
                + "no Iceberg snapshot of it committed by that run or before; see sluice runs for the runs, and check "
                + "that the model has storage: { format: iceberg }");
    }

    @Test
    void compactionIsOneIcebergRewriteOfTheSmallFilesAndAFailureInItKeepsTheSnapshot() throws IOException {
        assertThat(secondBatch().succeeded()).isTrue();
        batch("c.csv", "7,east,2024-05-01 09:00:00,,70.00,7\n", 10);
        Table before = table("orders_appended");
        assertThat(files(before)).hasSize(3);
        List<List<Object>> rows = sluice.query("SELECT * FROM main.orders_appended ORDER BY id, ordered_at").rows();

        FaultPoints.arm(FaultPoints.COMPACTION, (model, session) -> {
            throw new SluiceException(ErrorCode.RUN_FAILED, "injected: killed while compacting");
        });
        List<Path> tree = tree(lake("orders_appended"));
        SluiceException failed = org.assertj.core.api.Assertions.catchThrowableOfType(SluiceException.class,
                () -> sluice.optimizeStorage("orders_appended"));
        assertThat(failed.getMessage()).contains("injected: killed while compacting");
        FaultPoints.disarm(FaultPoints.COMPACTION);
        assertThat(tree(lake("orders_appended"))).isEqualTo(tree);
        assertThat(table("orders_appended").currentSnapshot().snapshotId())
                .isEqualTo(before.currentSnapshot().snapshotId());

        List<Compaction> compacted = sluice.optimizeStorage("orders_appended");
        assertThat(compacted).singleElement().satisfies(c -> {
            assertThat(c.rewritten()).isTrue();
            assertThat(c.filesBefore()).isEqualTo(3);
            assertThat(c.filesAfter()).isEqualTo(1);
            assertThat(c.reason()).contains("one Iceberg rewrite commit");
        });
        Table after = table("orders_appended");
        assertThat(after.currentSnapshot().operation()).isEqualTo("replace");
        assertThat(after.currentSnapshot().parentId()).isEqualTo(before.currentSnapshot().snapshotId());
        assertThat(files(after)).hasSize(1);
        assertThat(sluice.query("SELECT * FROM main.orders_appended ORDER BY id, ordered_at").rows()).isEqualTo(rows);
        assertThat(sluice.optimizeStorage("orders_appended")).singleElement()
                .satisfies(c -> assertThat(c.rewritten()).isFalse());
    }

    /**
     * A process killed just before the publishing commit, its Iceberg metadata and data files written: no reader
     * sees them (neither the view nor a reader of the table by path), and the next publish deletes them.
     */
    @Test
    void aKillBeforeTheCommitLeavesThePreviousSnapshotAndTheNextPublishDeletesItsFiles() throws Exception {
        Path folder = lake("orders_merged");
        List<Path> before = tree(folder);
        List<List<Object>> rows = sluice.query("SELECT * FROM main.orders_merged ORDER BY id").rows();
        long snapshot = table("orders_merged").currentSnapshot().snapshotId();
        ProjectFixture.at(project).write("data/b.csv", "id,region,ordered_at,paid_at,amount,quantity\n"
                + "2,south,2024-04-01 09:00:00,,99.00,2\n6,south,2024-04-02 09:00:00,,60.00,6\n");
        Process run = ForkedLauncher.in(dir).startPaused(FaultPoints.COMMIT + ":orders_merged", "run",
                project.toString(), "--threads", "1");
        run.destroyForcibly();
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();

        List<Path> killed = tree(folder);
        assertThat(killed).containsAll(before).hasSizeGreaterThan(before.size());
        assertThat(killed).noneMatch(p -> p.getFileName().toString().equals("v2.metadata.json"));
        assertThat(table("orders_merged").currentSnapshot().snapshotId()).isEqualTo(snapshot);
        assertThat(sluice.query("SELECT * FROM main.orders_merged ORDER BY id").rows()).isEqualTo(rows);

        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        List<Path> after = tree(folder);
        // what the killed run wrote is gone; what the rerun wrote is its own run's
        assertThat(after.stream().filter(p -> !killed.contains(p)).toList()).isNotEmpty();
        assertThat(killed.stream().filter(p -> !before.contains(p)).filter(after::contains).toList()).isEmpty();
        assertThat(table("orders_merged").currentSnapshot().parentId()).isEqualTo(snapshot);
        assertThat(exceptAll("SELECT id, region, ordered_at, amount FROM raw.orders QUALIFY row_number() OVER "
                + "(PARTITION BY id ORDER BY amount DESC NULLS LAST) = 1", "SELECT * FROM main.orders_merged"))
                .isZero();
    }

    @Test
    void aParquetModelSwitchedToIcebergBecomesATableWithItsRowsAndTheIncrement() throws IOException {
        String model = "/*---\nmaterialized: incremental\nincremental: { strategy: merge, unique_key: id }\n"
                + "storage: { format: %s }\n---*/\nSELECT id, region, amount FROM raw.orders\n";
        ProjectFixture.at(project).write("models/switched.sql", String.format(model, "parquet"));
        assertThat(Sluice.open(project).run(RunOptions.defaults()).succeeded()).isTrue();
        ProjectFixture.at(project).write("models/switched.sql", String.format(model, "iceberg"));
        sluice = Sluice.open(project);
        RunResult switched = secondBatch();
        assertThat(switched.model("switched").get().error()).isNull();
        assertThat(exceptAll("SELECT id, region, amount FROM raw.orders QUALIFY row_number() OVER (PARTITION BY id "
                + "ORDER BY amount DESC NULLS LAST) = 1", "SELECT * FROM main.switched")).isZero();
        List<List<String>> iceberg = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table("switched")).build()) {
            records.forEach(record -> iceberg.add(List.of(record.get(0).toString(), record.get(1).toString())));
        }
        assertThat(iceberg).hasSize(6);
        assertThat(sluice.query("SELECT run_id, operation FROM sluice.iceberg_snapshots WHERE model = 'main.switched'")
                .rows()).containsExactly(List.of(switched.runId(), "append"));
    }

    @Test
    void everyMappedTypeComesBackExactlyThroughTheViewAndIsReadByIceberg() throws IOException {
        String select = "SELECT CAST(1 AS TINYINT) AS ti, CAST(2 AS UINTEGER) AS ui, CAST(18446744073709551615 AS "
                + "UBIGINT) AS ub, CAST('170141183460469231731687303715884105' AS HUGEINT) AS hu, true AS b, "
                + "CAST(1.5 AS FLOAT) AS f, CAST(-0.000001 AS DECIMAL(18,6)) AS d6, CAST(12345678901234567890.12 AS "
                + "DECIMAL(38,2)) AS d38, 'x' AS s, '\\xAA'::BLOB AS bl, "
                + "'0b2f5e0c-8c5a-4d6e-9c1a-2f3b4c5d6e7f'::UUID AS u, DATE '1969-07-20' AS dt, TIME '23:59:59.123456' "
                + "AS tm, TIMESTAMP '1900-01-01 00:00:00.000001' AS ts, TIMESTAMP_MS '2024-01-01 10:00:00.123' AS tms, "
                + "TIMESTAMPTZ '2024-03-31 01:30:00+05:30' AS tz, INTERVAL 3 DAY AS iv, CAST(NULL AS DOUBLE) AS n";
        // parser: duckdb for TIMESTAMP_MS literals, which Calcite cannot read
        ProjectFixture.at(project).write("models/typed.sql", "/*---\nmaterialized: table\nparser: duckdb\n"
                + "storage: { format: iceberg }\n---*/\n" + select + "\n");
        sluice = Sluice.open(project);
        RunResult run = sluice.run(RunOptions.defaults().withSelect("typed"));
        assertThat(run.model("typed").get().error()).isNull();
        assertThat(sluice.query("DESCRIBE main.typed").rows()).isEqualTo(sluice.query("DESCRIBE " + select).rows());
        assertThat(sluice.query("SELECT * FROM main.typed").rows()).isEqualTo(sluice.query(select).rows());
        Table table = table("typed");
        assertThat(table.schema().columns().stream().map(f -> f.name() + " " + f.type()).toList()).containsExactly(
                "ti int", "ui long", "ub decimal(20, 0)", "hu decimal(38, 0)", "b boolean", "f float",
                "d6 decimal(18, 6)", "d38 decimal(38, 2)", "s string", "bl binary", "u uuid", "dt date", "tm time",
                "ts timestamp", "tms timestamp", "tz timestamptz", "iv string", "n double");
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            Record record = records.iterator().next();
            assertThat(record.getField("ub")).isEqualTo(new java.math.BigDecimal("18446744073709551615"));
            assertThat(record.getField("hu")).isEqualTo(new java.math.BigDecimal("170141183460469231731687303715884105"));
            assertThat(record.getField("d6")).isEqualTo(new java.math.BigDecimal("-0.000001"));
            assertThat(record.getField("u")).isEqualTo(java.util.UUID.fromString("0b2f5e0c-8c5a-4d6e-9c1a-2f3b4c5d6e7f"));
            assertThat(record.getField("dt")).isEqualTo(java.time.LocalDate.of(1969, 7, 20));
            assertThat(record.getField("tm")).isEqualTo(java.time.LocalTime.of(23, 59, 59, 123_456_000));
            assertThat(record.getField("ts")).isEqualTo(java.time.LocalDateTime.of(1900, 1, 1, 0, 0, 0, 1000));
            assertThat(record.getField("tms")).isEqualTo(java.time.LocalDateTime.of(2024, 1, 1, 10, 0, 0, 123_000_000));
            assertThat(record.getField("tz")).isEqualTo(java.time.OffsetDateTime.of(2024, 3, 30, 20, 0, 0, 0,
                    java.time.ZoneOffset.UTC));
            assertThat(record.getField("iv")).isEqualTo("3 days");
            assertThat(record.getField("n")).isNull();
        }
    }

    private RunResult secondBatch() throws IOException {
        return batch("b.csv", "2,south,2024-04-01 09:00:00,,99.00,2\n6,south,2024-04-02 09:00:00,,60.00,6\n", 5);
    }

    private RunResult batch(String name, String rows, int order) throws IOException {
        Path file = ProjectFixture.at(project).write("data/" + name, "id,region,ordered_at,paid_at,amount,quantity\n"
                + rows);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(order)));
        return sluice.run(RunOptions.defaults());
    }

    private long exceptAll(String expected, String actual) {
        long missing = ((Number) sluice.query("SELECT count(*) FROM (" + expected + " EXCEPT ALL " + actual + ")")
                .rows().get(0).get(0)).longValue();
        long extra = ((Number) sluice.query("SELECT count(*) FROM (" + actual + " EXCEPT ALL " + expected + ")")
                .rows().get(0).get(0)).longValue();
        return missing + extra;
    }

    private Path lake(String model) {
        return project.resolve("target/lake/main").resolve(model);
    }

    /** The table as Iceberg's Hadoop tables load it: from its folder's version hint, without Sluice. */
    private Table table(String model) {
        return new HadoopTables(new Configuration()).load(lake(model).toString());
    }

    private static List<DataFile> files(Table table) {
        List<DataFile> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().includeColumnStats().planFiles()) {
            tasks.forEach(task -> files.add(task.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static Set<String> paths(List<DataFile> files) {
        Set<String> paths = new HashSet<>();
        files.forEach(file -> paths.add(file.location()));
        return paths;
    }

    private static List<Path> tree(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.sorted().toList();
        }
    }
}
