package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.project.EngineTraits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every engine must do for Sluice, over the SPI only ({@link EngineFactory}, {@link Engine}, {@link Session},
 * {@link Dialect}): a new engine subclasses this with its factory and passes it before anything else runs on it.
 * Statements beyond the dialect's are plain SQL every engine accepts (CREATE SCHEMA, CREATE TABLE, INSERT ... VALUES,
 * SELECT).
 */
public abstract class EngineConformanceTest {
    @TempDir
    protected Path dir;

    private Engine engine;
    private Session session;
    private Dialect dialect;

    /** The factory of the engine under test. */
    protected abstract EngineFactory factory();

    @BeforeEach
    void open() {
        engine = factory().open(EngineOptions.inMemory(List.of(dir)));
        session = engine.session();
        dialect = session.dialect();
        session.execute("CREATE SCHEMA s");
    }

    @AfterEach
    void close() {
        session.close();
        engine.close();
    }

    private List<List<Object>> rows(String sql) {
        return session.query(sql).values();
    }

    private void table(String name, String... rows) {
        session.execute("CREATE TABLE " + name + " (id BIGINT, v VARCHAR, ts TIMESTAMP)");
        for (String row : rows) {
            session.execute("INSERT INTO " + name + " VALUES " + row);
        }
    }

    @Test
    void isFoundByItsNameUnderBothServiceInterfaces() {
        assertThat(Engines.factory(factory().name())).isInstanceOf(factory().getClass());
        assertThat(EngineTraits.named(factory().name())).get().isInstanceOf(factory().getClass());
        assertThat(engine.dialect()).isSameAs(factory().dialect());
        assertThat(engine.version()).isNotBlank();
    }

    @Test
    void publishesAStagedTableAndRepublishesAnother() {
        session.execute(dialect.createStagedTable("s.v1", "SELECT 1 AS id"));
        session.execute(dialect.publishView("s.m", "* FROM s.v1"));
        assertThat(session.query("SELECT count(*) FROM s.m").singleLong()).isEqualTo(1);
        session.execute(dialect.createStagedTable("s.v2", "SELECT 2 AS id UNION ALL SELECT 3"));
        session.execute(dialect.publishView("s.m", "* FROM s.v2"));
        assertThat(session.query("SELECT count(*) FROM s.m").singleLong()).isEqualTo(2);
        assertThat(engine.relationKind("s", "m")).isEqualTo(Engine.RelationKind.VIEW);
        assertThat(engine.relationKind("s", "v2")).isEqualTo(Engine.RelationKind.TABLE);
        // the same read in a session the caller holds (a windowed build's)
        assertThat(engine.relationKind(session, "s", "m")).isEqualTo(Engine.RelationKind.VIEW);
        assertThat(engine.relationKind(session, "s", "v2")).isEqualTo(Engine.RelationKind.TABLE);
        assertThat(engine.relationKind(session, "s", "gone")).isEqualTo(Engine.RelationKind.NONE);
        assertThat(engine.columns(session, "s", "v2")).isEqualTo(engine.columns("s", "v2"))
                .extracting(Engine.Column::name).containsExactly("id");
        assertThat(engine.columns(session, "s", "gone")).isEmpty();
    }

    @Test
    void mergesByKeyReplacingMatchedRowsAndKeepingTheLastOfEachStagedKey() {
        table("s.t", "(1, 'old', NULL)", "(2, 'kept', NULL)", "(NULL, 'null key', NULL)");
        table("s.staged", "(1, 'first', TIMESTAMP '2024-01-01 00:00:00')",
                "(1, 'last', TIMESTAMP '2024-01-02 00:00:00')", "(3, 'new', NULL)", "(NULL, 'null again', NULL)");
        session.execute(dialect.keepLastPerKey("s.staged", List.of("id"), "ts"));
        for (String statement : dialect.mergeByKey("s.t", "s.staged", List.of("id"), List.of("id", "v"))) {
            session.execute(statement);
        }
        assertThat(rows("SELECT id, v FROM s.t ORDER BY id NULLS LAST")).containsExactly(List.of(1L, "last"),
                List.of(2L, "kept"), List.of(3L, "new"), java.util.Arrays.asList(null, "null again"));
    }

    @Test
    void appendsWhenThereIsNoKey() {
        table("s.t", "(1, 'a', NULL)");
        table("s.staged", "(1, 'a', NULL)");
        for (String statement : dialect.mergeByKey("s.t", "s.staged", List.of(), List.of("id", "v"))) {
            session.execute(statement);
        }
        assertThat(session.query("SELECT count(*) FROM s.t").singleLong()).isEqualTo(2);
    }

    @Test
    void deleteInsertByKeyReplacesEveryRowOfAStagedKeyWithEveryStagedRow() {
        table("s.t", "(1, 'old', NULL)", "(1, 'old too', NULL)", "(2, 'kept', NULL)", "(NULL, 'null key', NULL)");
        table("s.staged", "(1, 'a', NULL)", "(1, 'b', NULL)", "(3, 'new', NULL)", "(NULL, 'null again', NULL)");
        for (String statement : dialect.replaceByKey("s.t", "s.staged", List.of("id"), List.of("id", "v"))) {
            session.execute(statement);
        }
        assertThat(rows("SELECT id, v FROM s.t ORDER BY id NULLS LAST, v")).containsExactly(List.of(1L, "a"),
                List.of(1L, "b"), List.of(2L, "kept"), List.of(3L, "new"), java.util.Arrays.asList(null, "null again"));
    }

    @Test
    void indexesRowsByIntervalAndReplacesExactlyTheRowsOfSomeIntervals() {
        session.execute(dialect.useUtc());
        table("s.t", "(0, 'day 0', TIMESTAMP '2024-01-01 00:00:00')", "(1, 'day 1', TIMESTAMP '2024-01-02 23:59:59')",
                "(2, 'day 2', TIMESTAMP '2024-01-03 12:00:00')", "(3, 'day 3', TIMESTAMP '2024-01-04 00:00:00')",
                "(4, 'day 40', TIMESTAMP '2024-02-10 00:00:00')");
        String origin = "TIMESTAMP '2024-01-01 00:00:00'";
        String day = "CAST(floor(" + dialect.microsBetween(origin, "ts") + " / 86400000000) AS BIGINT)";
        String month = "CAST(floor(" + dialect.monthsBetween(origin, "ts") + " / 1) AS BIGINT)";
        assertThat(rows("SELECT " + day + ", " + month + " FROM s.t ORDER BY id")).containsExactly(List.of(0L, 0L),
                List.of(1L, 0L), List.of(2L, 0L), List.of(3L, 0L), List.of(40L, 1L));

        // intervals 1 and 3 to 40 are rebuilt from the staged rows; 0 and 2 keep theirs
        table("s.staged", "(5, 'day 1 again', TIMESTAMP '2024-01-02 01:00:00')",
                "(6, 'day 39', TIMESTAMP '2024-02-09 00:00:00')");
        String intervals = dialect.inSpans(day, List.of(new Dialect.IndexSpan(1, 2), new Dialect.IndexSpan(3, 41)));
        for (String statement : dialect.deleteInsert("s.t", "s.staged", intervals)) {
            session.execute(statement);
        }
        assertThat(rows("SELECT id, v FROM s.t ORDER BY id")).containsExactly(List.of(0L, "day 0"),
                List.of(2L, "day 2"), List.of(5L, "day 1 again"), List.of(6L, "day 39"));
    }

    @Test
    void joinsIntervalIndexesWithSpansToCountRowsPerSpan() {
        table("s.t", "(0, 'a', TIMESTAMP '2024-01-01 00:00:00')", "(5, 'b', TIMESTAMP '2024-01-01 05:00:00')",
                "(7, 'c', TIMESTAMP '2024-01-01 07:00:00')", "(8, 'd', TIMESTAMP '2024-01-01 08:00:00')",
                "(9, 'e', TIMESTAMP '2024-01-01 09:00:00')");
        // span [1, 3) holds no row: no row comes back for it; id 9 is in no span
        String spans = dialect.spans(List.of(new Dialect.IndexSpan(0, 1), new Dialect.IndexSpan(1, 3),
                new Dialect.IndexSpan(4, 9)));
        assertThat(rows("SELECT s.span_from, s.span_to, count(*), max(t.id) FROM s.t AS t JOIN (" + spans + ") AS s "
                + "ON t.id >= s.span_from AND t.id < s.span_to GROUP BY s.span_from, s.span_to ORDER BY 1").stream()
                .map(row -> row.stream().map(value -> ((Number) value).longValue()).toList()).toList())
                .containsExactly(List.of(0L, 1L, 1L, 0L), List.of(4L, 9L, 3L, 8L));
    }

    @Test
    void deleteInsertReplacesExactlyTheRowsOfAnInterval() {
        table("s.t", "(1, 'before', TIMESTAMP '2024-01-01 23:00:00')", "(2, 'in', TIMESTAMP '2024-01-02 01:00:00')",
                "(3, 'after', TIMESTAMP '2024-01-03 00:00:00')");
        table("s.staged", "(4, 'rebuilt', TIMESTAMP '2024-01-02 05:00:00')");
        String interval = "ts >= " + Sql.literal(LocalDateTime.of(2024, 1, 2, 0, 0)) + " AND ts < "
                + Sql.literal(LocalDateTime.of(2024, 1, 3, 0, 0));
        for (String statement : dialect.deleteInsert("s.t", "s.staged", interval)) {
            session.execute(statement);
        }
        assertThat(rows("SELECT id, v FROM s.t ORDER BY id")).containsExactly(List.of(1L, "before"),
                List.of(3L, "after"), List.of(4L, "rebuilt"));
    }

    @Test
    void aFailureMidPublishLeavesTheOldStateInPlace() {
        table("s.t", "(1, 'old', TIMESTAMP '2024-01-02 01:00:00')");
        session.execute(dialect.createStagedTable("s.v1", "SELECT * FROM s.t"));
        session.execute(dialect.publishView("s.m", "* FROM s.v1"));
        table("s.staged", "(2, 'new', TIMESTAMP '2024-01-02 02:00:00')");

        session.begin();
        List<String> replace = dialect.deleteInsert("s.t", "s.staged", "TRUE");
        session.execute(replace.get(0));
        session.execute(dialect.createStagedTable("s.v2", "SELECT * FROM s.staged"));
        session.execute(dialect.publishView("s.m", "* FROM s.v2"));
        assertThatThrownBy(() -> session.execute("INSERT INTO s.t SELECT * FROM s.no_such_table"))
                .isInstanceOf(SluiceException.class).hasMessageContaining("no_such_table");
        session.rollback();

        assertThat(rows("SELECT id, v FROM s.t")).containsExactly(List.of(1L, "old"));
        assertThat(rows("SELECT id, v FROM s.m")).containsExactly(List.of(1L, "old"));
        assertThat(engine.relationKind("s", "v2")).isEqualTo(Engine.RelationKind.NONE);
    }

    @Test
    void copiesToParquetOneFileOrPartitionedAndReadsItBack() throws IOException {
        table("s.t", "(1, 'a', NULL)", "(2, 'b', NULL)", "(3, 'b', NULL)");
        Path file = dir.resolve("one.parquet");
        session.execute(dialect.copyToParquet("SELECT * FROM s.t", file, Dialect.ParquetOptions.defaults()));
        assertThat(session.query("SELECT count(*) FROM " + dialect.readParquet(Sql.string(file.toString())))
                .singleLong()).isEqualTo(3);

        Path folder = dir.resolve("parted");
        session.execute(dialect.copyToParquet("SELECT id, v AS part FROM s.t", folder,
                new Dialect.ParquetOptions("", List.of(Sql.identifier("part")))));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(f -> f.toString().endsWith(".parquet")).toList();
        }
        assertThat(files).extracting(f -> f.getParent().getFileName().toString())
                .containsExactlyInAnyOrder("part=a", "part=b");
        String scan = dialect.readParquet(Sql.string(folder.resolve("*").resolve("*.parquet").toString()), false);
        assertThat(rows("SELECT id FROM " + scan + " ORDER BY id")).containsExactly(List.of(1L), List.of(2L),
                List.of(3L));
    }

    @Test
    void readsTheCompressionOfParquetFiles() throws IOException {
        table("s.t", "(1, 'a', NULL)", "(2, 'b', NULL)");
        Path folder = Files.createDirectories(dir.resolve("zstd"));
        session.execute(dialect.copyToParquet("SELECT id, v FROM s.t", folder.resolve("one.parquet"),
                Dialect.ParquetOptions.defaults()));
        List<List<Object>> columns = session.query(dialect.parquetCompressionQuery(),
                folder.resolve("*.parquet").toString()).values();
        assertThat(columns).extracting(row -> row.get(0)).containsExactly("id", "v");
        assertThat(columns).allSatisfy(row -> {
            assertThat(row.get(1)).asString().isNotBlank();
            assertThat(((Number) row.get(2)).longValue()).isPositive();
            assertThat(((Number) row.get(3)).longValue()).isPositive();
        });
    }

    @Test
    void addsNamedParquetFilesToAFolderThatHoldsOthers() throws IOException {
        table("s.t", "(1, 'a', NULL)", "(2, 'b', NULL)", "(3, 'b', NULL)");
        Path folder = Files.createDirectories(dir.resolve("version"));
        Files.createDirectories(folder.resolve("v=a"));
        session.execute(dialect.copyToParquet("SELECT 9 AS id", folder.resolve("v=a").resolve("old_0.parquet"),
                Dialect.ParquetOptions.defaults()));
        session.execute(dialect.copyToParquet("SELECT id, v FROM s.t", folder,
                new Dialect.ParquetOptions("", List.of(Sql.identifier("v")), 1L << 30, "new_{i}")));
        List<String> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(f -> f.toString().endsWith(".parquet"))
                    .map(f -> folder.relativize(f).toString().replace(java.io.File.separatorChar, '/')).toList();
        }
        assertThat(files).containsExactlyInAnyOrder("v=a/old_0.parquet", "v=a/new_0.parquet", "v=b/new_0.parquet");
        String scan = dialect.readParquet(Sql.string(folder.resolve("*").resolve("*.parquet").toString()), true);
        assertThat(rows("SELECT id FROM " + scan + " ORDER BY id")).containsExactly(List.of(1L), List.of(2L),
                List.of(3L), List.of(9L));
    }

    @Test
    void readsCsvKeepingRejectedLinesAside() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "id,v\n1,a\noops,b\n3,c\n");
        List<String> options = new ArrayList<>(List.of("header = true",
                "columns = {'id': 'BIGINT', 'v': 'VARCHAR'}"));
        options.addAll(dialect.keepCsvRejects("rej_errors", "rej_scans"));
        assertThat(rows("SELECT id FROM " + dialect.readFiles(Dialect.FileFormat.CSV, Sql.string(csv.toString()),
                options) + " ORDER BY id")).containsExactly(List.of(1L), List.of(3L));
        assertThat(session.query("SELECT count(*) FROM rej_errors").singleLong()).isEqualTo(1);
        assertThat(session.query("SELECT count(*) FROM rej_scans").singleLong()).isEqualTo(1);
    }

    @Test
    void leavesOutTheColumnsOfAPrefix() {
        session.execute("CREATE TABLE s.tagged AS SELECT 1 AS id, 'a' AS v, 7 AS _sluice_run, 8 AS _sluice_file");
        assertThat(session.query("SELECT " + dialect.columnsWithoutPrefix("_sluice_") + " FROM s.tagged").columns())
                .containsExactly("id", "v");
        assertThat(rows("SELECT " + dialect.columnsWithoutPrefix("_sluice_") + " FROM s.tagged"))
                .containsExactly(List.of(1, "a"));
    }

    @Test
    void copiesToCsvWithAHeader() throws IOException {
        table("s.t", "(1, 'a', NULL)");
        Path csv = dir.resolve("t.csv");
        session.execute(dialect.copyToCsv("SELECT id, v FROM s.t", csv));
        assertThat(Files.readAllLines(csv)).containsExactly("id,v", "1,a");
        assertThat(rows("SELECT id, v FROM " + dialect.readFiles(Dialect.FileFormat.CSV, Sql.string(csv.toString()),
                List.of()))).containsExactly(List.of(1L, "a"));
    }

    @Test
    void namesProjectFilesSoStoredSqlReadsThemFromTheProjectFolder() throws IOException {
        table("s.t", "(1, 'a', NULL)");
        Path file = Files.createDirectories(dir.resolve("lake")).resolve("v1.parquet");
        session.execute(dialect.copyToParquet("SELECT * FROM s.t", file, Dialect.ParquetOptions.defaults()));
        String stored = dialect.projectFile(dir, file);
        assertThat(stored).doesNotContain(dir.toString());
        session.execute(dialect.publishView("s.lake", "* FROM " + dialect.readParquet(stored)));
        try (Session other = engine.session()) {
            assertThat(other.query("SELECT v FROM s.lake").values()).containsExactly(List.of("a"));
        }
    }

    @Test
    void setsAndReadsSessionVariables() {
        session.execute(dialect.setVariable("window_start", "?"), LocalDateTime.of(2024, 1, 2, 3, 0));
        assertThat(session.query("SELECT CAST(" + dialect.readVariable("window_start") + " AS TIMESTAMP)").single())
                .isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 0));
    }

    @Test
    void identifiesRowsForQuarantine() {
        table("s.t", "(1, 'a', NULL)", "(2, 'b', NULL)");
        session.execute("DELETE FROM s.t WHERE " + dialect.rowId() + " IN (SELECT t." + dialect.rowId()
                + " FROM s.t AS t WHERE t.id = 2)");
        assertThat(rows("SELECT id FROM s.t")).containsExactly(List.of(1L));
    }

    @Test
    void collectsStorageStatisticsOfAWarehouseFile() {
        Path warehouse = dir.resolve("w.db");
        try (Engine writer = factory().open(EngineOptions.readWrite(warehouse, 1, null, List.of(dir)));
                Session writing = writer.session()) {
            writing.execute("CREATE SCHEMA s");
            writing.execute(writer.dialect().createStagedTable("s.t", "SELECT range AS id, 'x' || range AS v "
                    + "FROM range(50000)"));
        }
        try (Engine reader = factory().open(EngineOptions.readOnly(warehouse, List.of(dir)));
                Session reading = reader.session()) {
            Dialect statistics = reader.dialect();
            assertThat(Path.of(String.valueOf(reading.query(statistics.databaseFileQuery()).single())))
                    .isEqualTo(warehouse.toAbsolutePath());
            assertThat(reading.query(statistics.blocksOnDiskQuery(), "s.t").singleLong()).isPositive();
            List<List<Object>> codecs = reading.query(statistics.columnCompressionQuery(), "s.t").values();
            assertThat(codecs).extracting(row -> row.get(0)).containsExactly("id", "v");
            // where the engine tells the table's blocks in the same read, they are what blocksOnDiskQuery answers
            long blocks = reading.query(statistics.blocksOnDiskQuery(), "s.t").singleLong();
            codecs.stream().filter(row -> row.size() > 2)
                    .forEach(row -> assertThat(((Number) row.get(2)).longValue()).isEqualTo(blocks));
            assertThat(reader.columns("s", "t")).extracting(Engine.Column::name).containsExactly("id", "v");
        }
    }

    @Test
    void streamsRowsAndLoadsThemInBulk() {
        table("s.t");
        try (Appender appender = session.appender("s", "t")) {
            for (long i = 0; i < 20_000; i++) {
                appender.append(java.util.Arrays.asList(i, "v" + i, null));
            }
        }
        long count = 0;
        List<Object> last = null;
        try (Cursor cursor = session.stream("SELECT id, v FROM s.t ORDER BY id")) {
            assertThat(cursor.columns()).containsExactly("id", "v");
            while (cursor.hasNext()) {
                last = cursor.next();
                count++;
            }
        }
        assertThat(count).isEqualTo(20_000);
        assertThat(last).containsExactly(19_999L, "v19999");
    }

    @Test
    void checksAUsersReadStatementBeforeRunningIt() {
        table("s.t", "(1, 'a', NULL)");
        assertThat(UserQuery.run(session, "SELECT id FROM s.t").values()).containsExactly(List.of(1L));
        List<List<Object>> streamed = new ArrayList<>();
        try (Cursor cursor = UserQuery.stream(session, "SELECT id FROM s.t")) {
            cursor.forEachRemaining(streamed::add);
        }
        assertThat(streamed).containsExactly(List.of(1L));
        assertThatThrownBy(() -> UserQuery.run(session, "DELETE FROM s.t")).isInstanceOf(SluiceException.class)
                .hasMessageStartingWith("Cannot run query: ")
                .extracting(e -> ((SluiceException) e).code()).isEqualTo(ErrorCode.USAGE);
        assertThat(session.query("SELECT count(*) FROM s.t").singleLong()).isEqualTo(1);
    }
}
