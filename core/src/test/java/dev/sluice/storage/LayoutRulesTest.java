package dev.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.project.StorageSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The layout rules on statistics of known character, written by hand. */
class LayoutRulesTest {
    private static final long MB = 1L << 20;
    private static final StorageSpec LAKE = new StorageSpec(StorageSpec.Format.PARQUET, null, null, null, null, null,
            null, null, true);
    private static final LayoutRules.Context PLAIN = new LayoutRules.Context(Map.of(), List.of(), 256 * MB);

    private static ColumnStats column(String name, String type, long distinct, double width, double sortedness,
            double topShare) {
        return new ColumnStats(name, type, distinct, 0, null, null, width, sortedness, topShare, 0, 0);
    }

    private static ColumnStats time(String name, long rows, String min, String max, double spanDays,
            long distinctDays) {
        return new ColumnStats(name, "TIMESTAMP", rows, 0, min, max, 8, 1.0, 1.0 / rows, spanDays, distinctDays);
    }

    private static Decision decision(Layout layout, Decision.Aspect aspect) {
        return layout.decisions().stream().filter(d -> d.aspect() == aspect).findFirst().orElseThrow();
    }

    private static StorageSpec lake(StorageSpec.Access access) {
        return new StorageSpec(StorageSpec.Format.PARQUET, null, null, null, null, null, null, access, true);
    }

    @Test
    void tinyTablesStayUncompressedUnsortedAndWhole() {
        TableStats tiny = new TableStats("main.t", 100, List.of(column("id", "BIGINT", 100, 8, 1, 0.01),
                column("region", "VARCHAR", 3, 5, 0.6, 0.4)));
        Layout layout = LayoutRules.decide(tiny, LAKE, PLAIN);
        assertThat(layout.codec()).isEqualTo(StorageSpec.Codec.UNCOMPRESSED);
        assertThat(layout.level()).isNull();
        assertThat(layout.sortBy()).isEmpty();
        assertThat(layout.partitions()).isEmpty();
        assertThat(layout.rowGroupSize()).isEqualTo(122_880);
        assertThat(decision(layout, Decision.Aspect.COMPRESSION).reason()).startsWith("the table is tiny (1.3 KiB)");
        assertThat(decision(layout, Decision.Aspect.SORT).reason()).contains("tiny");
        assertThat(decision(layout, Decision.Aspect.PARTITIONING).reason()).contains("fits in one file");
    }

    @Test
    void lowCardinalityStringsAreDictionaryEncodedAndSortedFewestValuesFirst() {
        TableStats stats = new TableStats("main.sales", 10_000_000, List.of(
                column("id", "BIGINT", 10_000_000, 8, 1, 1e-7),
                column("country", "VARCHAR", 40, 7, 0.5, 0.1),
                column("region", "VARCHAR", 4, 5, 0.5, 0.3),
                column("amount", "DOUBLE", 9_000_000, 8, 0.5, 1e-6)));
        Layout layout = LayoutRules.decide(stats, LAKE, PLAIN);
        assertThat(layout.sortBy()).containsExactly("region", "country");
        assertThat(decision(layout, Decision.Aspect.SORT).reason())
                .isEqualTo("then the low-cardinality columns region (4 values), country (40 values), fewest values "
                        + "first, for long runs that compress well");
        assertThat(layout.decisions()).filteredOn(d -> d.aspect() == Decision.Aspect.ENCODING)
                .extracting(Decision::choice).containsExactly("id: delta", "country: dictionary",
                        "region: dictionary", "amount: byte_stream_split");
        assertThat(layout.codec()).isEqualTo(StorageSpec.Codec.ZSTD);
        assertThat(layout.level()).isEqualTo(3);
        // 10M rows of 28 bytes: 64 MiB per group is 2.4M rows, capped at 1,048,576
        assertThat(layout.rowGroupSize()).isEqualTo(1_048_576);
        assertThat(layout.partitions()).isEmpty();

        // about 110 MiB in files of 64 MiB: sorted output over several files keeps DuckDB's default row groups
        Layout split = LayoutRules.decide(stats, LAKE, new LayoutRules.Context(Map.of(), List.of(), 64 * MB));
        assertThat(split.partitions()).isEmpty();
        assertThat(split.rowGroupSize()).isEqualTo(122_880);
        assertThat(decision(split, Decision.Aspect.ROW_GROUP).reason()).isEqualTo("the sorted output spans several "
                + "files, and DuckDB 2.0 keeps the order across files only with row groups up to its default size");
        assertThat(decision(split, Decision.Aspect.FILE_SIZE).reason()).contains("make 2 file(s)");
    }

    @Test
    void sortedTimestampsArePartitionedByAGrainThatFitsTheirSpan() {
        TableStats events = new TableStats("main.events", 10_000_000, List.of(time("ts", 10_000_000, "2023-01-01 00:00:00",
                "2024-12-31 00:00:00", 730, 731),
                column("value", "DOUBLE", 10_000_000, 8, 0.5, 1e-7)));
        long estimated = LayoutRules.estimateBytes(events, StorageSpec.Codec.ZSTD);
        assertThat(estimated).isBetween(90 * MB, 100 * MB);

        Layout byMonth = LayoutRules.decide(events, LAKE, new LayoutRules.Context(Map.of(), List.of(), MB));
        assertThat(byMonth.partitions()).containsExactly(new Partition("ts", Partition.Grain.MONTH));
        assertThat(decision(byMonth, Decision.Aspect.PARTITIONING).reason())
                .isEqualTo("24 partitions of about 3.8 MiB each, the finest split whose partitions reach half "
                        + "the target size 1.0 MiB; the grain fits the data's span of 730 days");
        Layout byYear = LayoutRules.decide(events, LAKE, new LayoutRules.Context(Map.of(), List.of(), 8 * MB));
        assertThat(byYear.partitions()).containsExactly(new Partition("ts", Partition.Grain.YEAR));
        assertThat(byYear.partitions().get(0).name()).isEqualTo("ts_year");
        assertThat(byYear.partitions().get(0).expression()).isEqualTo("strftime(\"ts\", '%Y')");
        assertThat(decision(byYear, Decision.Aspect.PARTITIONING).reason()).startsWith("2 partitions of about 45.1 MiB");
        // without readable bounds, the count comes from the span
        ColumnStats unbounded = new ColumnStats("ts", "TIMESTAMP", 1000, 0, "?", null, 8, 1, 0, 730, 731);
        assertThat(LayoutRules.partitions(unbounded, Partition.Grain.YEAR)).isEqualTo(3);
        assertThat(LayoutRules.partitions(unbounded, Partition.Grain.MONTH)).isEqualTo(25);
        assertThat(LayoutRules.partitions(unbounded, Partition.Grain.DAY)).isEqualTo(731);
        Layout appended = LayoutRules.decide(events, LAKE, new LayoutRules.Context(Map.of(), List.of(), MB, true));
        assertThat(appended.partitions()).isEmpty();
        assertThat(decision(appended, Decision.Aspect.PARTITIONING).reason()).isEqualTo("an incremental output adds "
                + "files to its folders on every build, so its partitions must not change with the data of one "
                + "build; pin partition_by to partition it");
        Layout whole = LayoutRules.decide(events, LAKE, PLAIN);
        assertThat(whole.partitions()).isEmpty();
        // already in order: kept sorted by time, for zone maps at little cost
        assertThat(whole.sortBy()).containsExactly("ts");
        assertThat(decision(whole, Decision.Aspect.SORT).reason()).contains("ts is already 100% in order");
        TableStats decade = new TableStats("main.events", 10_000_000, List.of(time("ts", 10_000_000,
                "2015-01-01", "2024-12-30", 3650, 3651),
                column("value", "DOUBLE", 10_000_000, 8, 0.5, 1e-7)));
        Layout daily = LayoutRules.decide(decade, LAKE, new LayoutRules.Context(Map.of(), List.of(), 45 * MB));
        assertThat(daily.partitions()).isEmpty();
        assertThat(decision(daily, Decision.Aspect.PARTITIONING).choice()).isEqualTo("none");
        assertThat(decision(daily, Decision.Aspect.PARTITIONING).reason())
                .contains("ts (even by year the partitions would be below half the target size)");
    }

    @Test
    void skewedKeysNeverMakeOneGiantPartition() {
        TableStats stats = new TableStats("main.orders", 50_000_000, List.of(
                column("customer_type", "VARCHAR", 5, 8, 0.5, 0.9),
                column("shop", "INTEGER", 20, 4, 0.5, 0.05),
                column("note", "VARCHAR", 40_000_000, 60, 0.5, 0.01)));
        Layout layout = LayoutRules.decide(stats, LAKE, new LayoutRules.Context(Map.of(), List.of(), 32 * MB));
        assertThat(layout.partitions()).containsExactly(new Partition("shop", null));
        assertThat(decision(layout, Decision.Aspect.PARTITIONING).inputs().get("rejected").toString())
                .contains("customer_type (one value holds 90% of the rows: one giant partition)");

        TableStats onlySkewed = new TableStats("main.orders", 50_000_000, List.of(
                column("customer_type", "VARCHAR", 5, 8, 0.5, 0.9),
                column("note", "VARCHAR", 40_000_000, 60, 0.5, 0.01)));
        Layout none = LayoutRules.decide(onlySkewed, LAKE, new LayoutRules.Context(Map.of(), List.of(), 32 * MB));
        assertThat(none.partitions()).isEmpty();
        assertThat(decision(none, Decision.Aspect.PARTITIONING).reason()).startsWith("no column splits the data")
                .contains("90%").contains("note (40000000 values: partitions of about");
    }

    @Test
    void mostlyNullTimeColumnsAreNotPartitionColumns() {
        ColumnStats shipped = new ColumnStats("shipped_at", "DATE", 700, 0.8, null, null, 4, 0.5, 0.8, 700, 700);
        TableStats stats = new TableStats("main.t", 50_000_000, List.of(shipped,
                column("payload", "VARCHAR", 50_000_000, 40, 0.5, 0)));
        Layout layout = LayoutRules.decide(stats, LAKE, new LayoutRules.Context(Map.of(), List.of(), 32 * MB));
        assertThat(layout.partitions()).isEmpty();
        assertThat(decision(layout, Decision.Aspect.PARTITIONING).reason()).contains("80% NULL");
    }

    @Test
    void randomFloatsReadHotGetSnappyAndOtherAccessPatternsZstdLevels() {
        TableStats floats = new TableStats("main.f", 5_000_000, List.of(column("a", "DOUBLE", 5_000_000, 8, 0.5, 0),
                column("b", "DOUBLE", 5_000_000, 8, 0.5, 0), column("k", "INTEGER", 5_000_000, 4, 1, 0)));
        Layout hot = LayoutRules.decide(floats, lake(StorageSpec.Access.HOT), PLAIN);
        assertThat(hot.codec()).isEqualTo(StorageSpec.Codec.SNAPPY);
        assertThat(decision(hot, Decision.Aspect.COMPRESSION).reason()).contains("80% of the bytes are floating point");
        Layout archive = LayoutRules.decide(floats, lake(StorageSpec.Access.ARCHIVE), PLAIN);
        assertThat(archive.codec()).isEqualTo(StorageSpec.Codec.ZSTD);
        assertThat(archive.level()).isEqualTo(9);
        assertThat(archive.sortBy()).isEmpty();
        assertThat(decision(archive, Decision.Aspect.SORT).reason()).startsWith("no downstream model filters");

        TableStats text = new TableStats("main.t", 5_000_000, List.of(column("body", "VARCHAR", 5_000_000, 2000, 0.5,
                0)));
        Layout hotText = LayoutRules.decide(text, lake(StorageSpec.Access.HOT), PLAIN);
        assertThat(hotText.codec()).isEqualTo(StorageSpec.Codec.ZSTD);
        assertThat(hotText.level()).isEqualTo(1);
        assertThat(decision(hotText, Decision.Aspect.ENCODING).choice()).isEqualTo("body: plain");
        // wide rows: 64 MiB / 2000 bytes = 33,554 rows, rounded down to whole vectors of 2048
        assertThat(hotText.rowGroupSize()).isEqualTo(32_768);
    }

    @Test
    void downstreamFiltersComeFirstInTheSortOrder() {
        TableStats stats = new TableStats("main.orders", 2_000_000, List.of(
                column("order_id", "BIGINT", 2_000_000, 8, 1, 0),
                column("customer_id", "BIGINT", 50_000, 8, 0.5, 0.001),
                column("status", "VARCHAR", 3, 7, 0.5, 0.4),
                column("amount", "DOUBLE", 1_900_000, 8, 0.5, 0)));
        LayoutRules.Context context = new LayoutRules.Context(Map.of("customer_id", 2, "amount", 1), List.of(),
                256 * MB);
        Layout layout = LayoutRules.decide(stats, LAKE, context);
        assertThat(layout.sortBy()).containsExactly("customer_id", "amount", "status");
        assertThat(decision(layout, Decision.Aspect.SORT).reason()).isEqualTo("downstream models filter on "
                + "customer_id (2), amount (1): sorted first, zone maps let those filters skip row groups; then the "
                + "low-cardinality columns status (3 values), fewest values first, for long runs that compress well");
        // filtered: 16 MiB per group at 31 bytes a row
        assertThat(layout.rowGroupSize()).isEqualTo(540_672);
        assertThat(decision(layout, Decision.Aspect.ROW_GROUP).reason()).contains("finer zone maps");
    }

    @Test
    void pinsWinAndTheOptimiserFillsTheRest() {
        TableStats stats = new TableStats("main.orders", 2_000_000, List.of(
                column("order_id", "BIGINT", 2_000_000, 8, 1, 0), column("status", "VARCHAR", 3, 7, 0.5, 0.4)));
        StorageSpec pinned = new StorageSpec(StorageSpec.Format.PARQUET, "lake/orders", StorageSpec.Codec.GZIP, 6,
                List.of("status"), List.of("order_id"), 10_000L, null, true);
        Layout layout = LayoutRules.decide(stats, pinned, PLAIN);
        assertThat(layout.codec()).isEqualTo(StorageSpec.Codec.GZIP);
        assertThat(layout.level()).isEqualTo(6);
        assertThat(layout.partitions()).containsExactly(new Partition("status", null));
        assertThat(layout.sortBy()).containsExactly("order_id");
        assertThat(layout.rowGroupSize()).isEqualTo(10_000);
        assertThat(layout.decisions()).filteredOn(Decision::pinned).extracting(Decision::aspect).containsExactly(
                Decision.Aspect.FORMAT, Decision.Aspect.COMPRESSION, Decision.Aspect.PARTITIONING,
                Decision.Aspect.SORT, Decision.Aspect.ROW_GROUP);
        assertThat(decision(layout, Decision.Aspect.FILE_SIZE).pinned()).isFalse();

        StorageSpec off = new StorageSpec(StorageSpec.Format.PARQUET, null, null, null, null, List.of(), null, null,
                false);
        Layout plain = LayoutRules.decide(stats, off, PLAIN);
        assertThat(plain.codec()).isEqualTo(StorageSpec.Codec.SNAPPY);
        assertThat(plain.partitions()).isEmpty();
        assertThat(plain.sortBy()).isEmpty();
        assertThat(decision(plain, Decision.Aspect.SORT).choice()).isEqualTo("none");
        assertThat(decision(plain, Decision.Aspect.SORT).pinned()).isTrue();
        assertThat(plain.rowGroupSize()).isEqualTo(122_880);
        assertThat(plain.decisions()).noneMatch(d -> d.aspect() == Decision.Aspect.ENCODING);
    }

    @Test
    void warehouseTablesGetAnIndexOnlyForMergeKeys() {
        TableStats stats = new TableStats("main.customers", 1_000_000, List.of(
                column("customer_id", "BIGINT", 1_000_000, 8, 0.5, 0), column("tier", "VARCHAR", 3, 4, 0.5, 0.5)));
        Layout merged = LayoutRules.decide(stats, StorageSpec.NONE, new LayoutRules.Context(Map.of(),
                List.of("customer_id"), 256 * MB));
        assertThat(merged.format()).isEqualTo(StorageSpec.Format.WAREHOUSE);
        assertThat(merged.codec()).isNull();
        assertThat(merged.index()).containsExactly("customer_id");
        // never sorted for compression alone: tier's three values would only save bytes DuckDB saves anyway
        assertThat(merged.sortBy()).isEmpty();
        assertThat(decision(merged, Decision.Aspect.SORT).reason()).startsWith("no downstream model filters on a "
                + "column of it: a warehouse table is never sorted for compression alone");
        assertThat(merged.rowGroupSize()).isEqualTo(122_880);
        assertThat(decision(merged, Decision.Aspect.COMPRESSION).choice()).isEqualTo("duckdb lightweight");
        assertThat(merged.decisions()).noneMatch(d -> d.aspect() == Decision.Aspect.PARTITIONING
                || d.aspect() == Decision.Aspect.FILE_SIZE);
        assertThat(decision(merged, Decision.Aspect.ENCODING).choice()).isEqualTo("customer_id: bitpacking");

        Layout plain = LayoutRules.decide(stats, StorageSpec.NONE, PLAIN);
        assertThat(plain.index()).isEmpty();
        assertThat(decision(plain, Decision.Aspect.INDEX).reason()).startsWith("no unique key is used for lookups");
        TableStats tiny = new TableStats("main.c", 10, stats.columns());
        Layout tinyMerge = LayoutRules.decide(tiny, StorageSpec.NONE, new LayoutRules.Context(Map.of(),
                List.of("customer_id"), 256 * MB));
        assertThat(tinyMerge.index()).isEmpty();
        // a downstream filter sorts a warehouse table by the filtered column, and by nothing else
        Layout filtered = LayoutRules.decide(stats, StorageSpec.NONE, new LayoutRules.Context(Map.of("customer_id",
                1), List.of(), 256 * MB));
        assertThat(filtered.sortBy()).containsExactly("customer_id");
        assertThat(decision(tinyMerge, Decision.Aspect.INDEX).reason()).contains("tiny");
    }
}
