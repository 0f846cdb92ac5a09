package dev.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceException;
import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.engine.Session;
import dev.sluice.project.StorageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lake writer on a real DuckDB: versions, the view switch, partitions, and the free-space check. */
class LakeWriterTest {
    private static final long MB = 1L << 20;

    @TempDir
    Path dir;

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).map(f -> folder.relativize(f).toString()).sorted().toList();
        }
    }

    private static Layout layout(Session session, StorageSpec spec, long targetFileSize) {
        return LayoutRules.decide(StatisticsCollector.collect(session, "main", "staged"), spec,
                new LayoutRules.Context(Map.of(), List.of(), targetFileSize));
    }

    @Test
    void refusesAWriteThatWouldNotFitAndLeavesThePublishedVersionAlone() throws IOException {
        Path lake = dir.resolve("lake");
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            searchProject(session);
            session.execute("CREATE TABLE staged AS SELECT i AS id, md5(CAST(i AS VARCHAR)) AS digest "
                    + "FROM range(200000) r(i)");
            StorageSpec spec = new StorageSpec(StorageSpec.Format.PARQUET, null, null, null, null, null, null, null,
                    true);
            Layout layout = layout(session, spec, 256 * MB);
            Path first = new LakeWriter(folder -> Long.MAX_VALUE, dir).write(session, "main.staged", "main.m", layout,
                    lake.resolve("run-1"), "model m (models/m.sql)");
            assertThat(first).isEqualTo(lake.resolve("run-1"));
            List<String> published = names(lake);
            assertThat(published).containsExactly("run-1/data_0.parquet");
            // the estimate (with its margin) is about the size the files really take
            long written = LakeWriter.bytes(first);
            assertThat(LakeWriter.needed(layout.estimatedBytes())).isBetween(written, written * 3);

            FreeSpace almostFull = folder -> written / 2;
            assertThatThrownBy(() -> new LakeWriter(almostFull, dir).write(session, "main.staged", "main.m", layout,
                    lake.resolve("run-2"), "model m (models/m.sql)"))
                    .isInstanceOf(SluiceException.class)
                    .hasMessage("Cannot write model m (models/m.sql) to " + lake + ": its Parquet files need about "
                            + LayoutRules.mib(LakeWriter.needed(layout.estimatedBytes())) + " (estimate with a 50% "
                            + "margin), but only " + LayoutRules.mib(written / 2) + " is free there; free some space "
                            + "or set storage.path to a disk with room. Nothing was written and the published table "
                            + "is unchanged");
            assertThat(names(lake)).isEqualTo(published);
            assertThat(session.query("SELECT count(*) FROM main.m").singleLong()).isEqualTo(200_000);

            Path linked = dir.resolve("linked.parquet");
            LakeWriter.link(linked, first.resolve("data_0.parquet"));
            assertThat(Files.isSameFile(linked, first.resolve("data_0.parquet"))).isTrue();
            Path other = Files.writeString(dir.resolve("other.parquet"), "x");
            assertThatThrownBy(() -> LakeWriter.link(other, first.resolve("data_0.parquet")))
                    .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        }
    }

    /** A small table asks for its own size with a margin, at least a floor of 1 MiB: not a fixed 16 MiB. */
    @Test
    void aSmallTableNeedsLittleRoom() throws IOException {
        Path lake = dir.resolve("lake");
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            searchProject(session);
            // 600 rows of about 20 KB
            session.execute("CREATE TABLE staged AS SELECT i AS id, 'customer ' || i AS name, i * 1.5 AS amount, "
                    + "DATE '2024-01-01' + INTERVAL (i) HOUR AS at FROM range(600) r(i)");
            Layout layout = layout(session, new StorageSpec(StorageSpec.Format.PARQUET, null, null, null, null, null,
                    null, null, true), 256 * MB);
            assertThat(LakeWriter.needed(layout.estimatedBytes())).isEqualTo(LakeWriter.FLOOR_BYTES);
            Path version = new LakeWriter(folder -> 2 * MB, dir).write(session, "main.staged", "main.m", layout,
                    lake.resolve("run-1"), "model m (models/m.sql)");
            assertThat(LakeWriter.bytes(version)).isLessThan(64 * 1024);
            assertThat(session.query("SELECT count(*) FROM main.m").singleLong()).isEqualTo(600);
            assertThatThrownBy(() -> new LakeWriter(folder -> MB / 2, dir).write(session, "main.staged", "main.m",
                    layout, lake.resolve("run-2"), "model m (models/m.sql)"))
                    .hasMessageContaining("need about 1.0 MiB (estimate with a 50% margin), but only 512.0 KiB is "
                            + "free");
        }
        assertThat(LakeWriter.needed(100 * MB)).isEqualTo(150 * MB);
    }

    /** DuckDB percent-encodes partition column names in folder names; the view reads them back decoded. */
    @Test
    void partitionNamesAreDecodedAsDuckDbEncodesThem() {
        assertThat(LakeWriter.percentDecoded("odd%20col")).isEqualTo("odd col");
        assertThat(LakeWriter.percentDecoded("%C3%A9t%C3%A9%2Fx")).isEqualTo("été/x");
        assertThat(LakeWriter.percentDecoded("a+b")).isEqualTo("a+b");
        assertThat(LakeWriter.percentDecoded("100%")).isEqualTo("100%");
        assertThat(LakeWriter.percentDecoded("5%zz")).isEqualTo("5%zz");
    }

    /** Views name their files by the project folder, which every session of a project's engine holds. */
    private void searchProject(Session session) {
        session.execute("SET VARIABLE " + dev.sluice.engine.duckdb.DuckDbDialect.PROJECT_ROOT + " = "
                + dev.sluice.engine.Sql.string(dir.toString()));
    }

    @Test
    void partitionsKeepTheModelsColumnsInOrderAndType() throws IOException {
        Path lake = dir.resolve("lake");
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            searchProject(session);
            session.execute("CREATE TABLE staged AS SELECT (i % 3) :: INTEGER AS shop, DATE '2024-01-30' + "
                    + "INTERVAL (i % 3) DAY AS day, i AS id FROM range(600000) r(i) ORDER BY hash(i)");
            StorageSpec byShop = new StorageSpec(StorageSpec.Format.PARQUET, null, StorageSpec.Codec.ZSTD, 5,
                    List.of("shop"), List.of("id"), 1000L, null, true);
            Layout layout = layout(session, byShop, 256 * MB);
            assertThat(session.dialect().copyToParquet("q", Path.of("/t"), LakeWriter.options(layout, "data_{i}")))
                    .isEqualTo("COPY (q) TO '/t' (FORMAT parquet, PARTITION_BY (\"shop\"), COMPRESSION zstd, "
                    + "COMPRESSION_LEVEL 5, PARQUET_VERSION v2, ROW_GROUP_SIZE 1000, FILE_SIZE_BYTES 268435456, "
                    + "FILENAME_PATTERN 'data_{i}', OVERWRITE_OR_IGNORE true)");
            Path version = new LakeWriter(FreeSpace.FILE_STORE, dir).write(session, "main.staged", "main.m", layout,
                    lake.resolve("run-7"), "model m");
            assertThat(names(version)).extracting(name -> name.substring(0, name.indexOf('/')))
                    .containsExactly("shop=0", "shop=1", "shop=2");
            assertThat(session.query("DESCRIBE main.m").values()).extracting(row -> row.get(0) + " " + row.get(1))
                    .containsExactly("shop INTEGER", "day TIMESTAMP", "id BIGINT");
            assertThat(session.query("SELECT count(*), CAST(sum(shop) AS BIGINT) FROM main.m").values())
                    .containsExactly(List.of(600_000L, 600_000L));
            // inside each partition's file the rows keep the sort order (DuckDB's partitioned writer loses it)
            assertThat(session.query("SELECT count(*) FROM (SELECT id, lag(id) OVER (PARTITION BY filename ORDER BY "
                    + "file_row_number) AS before FROM read_parquet('" + version + "/**/*.parquet', filename = true, "
                    + "file_row_number = true)) WHERE id < before").singleLong()).isZero();

            Layout monthly = new Layout(StorageSpec.Format.PARQUET, StorageSpec.Codec.UNCOMPRESSED, null,
                    List.of(new Partition("day", Partition.Grain.MONTH)), List.of(), 122_880, 256 * MB, List.of(),
                    MB, List.of());
            Path months = new LakeWriter(FreeSpace.FILE_STORE, dir).write(session, "main.staged", "main.m", monthly,
                    lake.resolve("run-8"), "model m");
            assertThat(names(months)).extracting(name -> name.substring(0, name.indexOf('/')))
                    .containsExactly("day_month=2024-01", "day_month=2024-02");
            assertThat(session.query("SELECT column_name FROM (DESCRIBE main.m)").values()).extracting(row -> row.get(0))
                    .containsExactly("shop", "day", "id");
            assertThat(session.query("SELECT count(*) FROM main.m WHERE day >= DATE '2024-02-01'").singleLong())
                    .isEqualTo(200_000);
            assertThat(LakeWriter.columnCompression(session, months).values()).extracting(row -> row.get(1))
                    .containsOnly("UNCOMPRESSED");
            assertThat(LakeWriter.bytes(months)).isPositive();
            // stored relative to the project folder
            assertThat(session.query("SELECT sql FROM duckdb_views() WHERE view_name = 'm'").single().toString())
                    .contains("read_parquet((getvariable('sluice_project_root') || '/lake/run-8/**/*.parquet')").doesNotContain(dir.toString());
        }
    }
}
