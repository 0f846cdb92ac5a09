package dev.sluice.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.engine.Dialect;
import dev.sluice.engine.Dialect.ModelSql;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DuckDB dialect renders exactly the SQL exec, storage and quality wrote themselves before it existed. */
class DuckDbDialectTest {
    private final Dialect dialect = DuckDbDialect.INSTANCE;

    @Test
    void runsTheModelsOwnText() {
        assertThat(dialect.modelSql()).isEqualTo(ModelSql.MODEL_TEXT);
        assertThat(ModelSql.unparsedPlan("SPARK").calciteDialect()).isEqualTo("SPARK");
        assertThatThrownBy(() -> new ModelSql(ModelSql.Form.UNPARSED_PLAN, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a Calcite dialect goes with an unparsed plan, and only with it");
    }

    @Test
    void namesProjectFilesRelativeToTheProjectFolderVariable() {
        Path root = Path.of("/p");
        assertThat(dialect.projectFile(root, Path.of("/p/lake/v1/*.parquet")))
                .isEqualTo("(getvariable('sluice_project_root') || '/lake/v1/*.parquet')");
        assertThat(dialect.projectFile(root, Path.of("/elsewhere/x.parquet"))).isEqualTo("'/elsewhere/x.parquet'");
        assertThat(dialect.projectFile(root, root)).isEqualTo("'/p'");
    }

    @Test
    void readsFilesAndVariables() {
        assertThat(dialect.readParquet("'a.parquet'")).isEqualTo("read_parquet('a.parquet')");
        assertThat(dialect.readParquet("'a/*.parquet'", false))
                .isEqualTo("read_parquet('a/*.parquet', hive_partitioning = false)");
        assertThat(dialect.readFiles(Dialect.FileFormat.CSV, "['a.csv', 'b.csv']", List.of("header = true",
                "union_by_name = true"))).isEqualTo("read_csv(['a.csv', 'b.csv'], header = true, union_by_name = true)");
        assertThat(dialect.readFiles(Dialect.FileFormat.JSON, "'x.json'", List.of("format = 'auto'")))
                .isEqualTo("read_json('x.json', format = 'auto')");
        assertThat(dialect.keepCsvRejects("rej_errors", "it's_scans")).containsExactly("store_rejects = true",
                "rejects_table = 'rej_errors'", "rejects_scan = 'it''s_scans'");
        assertThat(dialect.readVariable("window_start")).isEqualTo("getvariable('window_start')");
        assertThat(dialect.setVariable("sluice_secret_token", "CAST(? AS VARCHAR)"))
                .isEqualTo("SET VARIABLE \"sluice_secret_token\" = CAST(? AS VARCHAR)");
        assertThat(dialect.rowId()).isEqualTo("rowid");
        assertThat(dialect.columnsWithoutPrefix("_sluice_"))
                .isEqualTo("COLUMNS(lambda c: NOT starts_with(c, '_sluice_'))");
    }

    @Test
    void stagesMergesAndReplacesByInterval() {
        assertThat(dialect.createStagedTable("s", "SELECT 1")).isEqualTo("CREATE OR REPLACE TABLE s AS SELECT 1");
        assertThat(dialect.insertByName("t", "SELECT * FROM s")).isEqualTo("INSERT INTO t BY NAME SELECT * FROM s");
        assertThat(dialect.unionAllByName("SELECT 1 AS a", "SELECT 2 AS a")).isEqualTo("(SELECT 1 AS a UNION ALL BY NAME "
                + "SELECT 2 AS a)");
        assertThat(dialect.keepLastPerKey("s", List.of("id"), "at")).isEqualTo("DELETE FROM s WHERE rowid IN (SELECT "
                + "rowid FROM s QUALIFY row_number() OVER (PARTITION BY \"id\" ORDER BY \"at\" DESC NULLS LAST, rowid "
                + "DESC) > 1)");
        assertThat(dialect.keepLastPerKey("s", List.of("a", "b"), null)).isEqualTo("DELETE FROM s WHERE rowid IN "
                + "(SELECT rowid FROM s QUALIFY row_number() OVER (PARTITION BY \"a\", \"b\" ORDER BY rowid DESC) > 1)");
        assertThat(dialect.mergeByKey("t", "s", List.of("id"), List.of("id", "v"))).containsExactly(
                "DELETE FROM t AS t WHERE EXISTS (SELECT 1 FROM s AS s WHERE s.\"id\" IS NOT DISTINCT FROM t.\"id\")",
                "INSERT INTO t (\"id\", \"v\") SELECT \"id\", \"v\" FROM s");
        assertThat(dialect.mergeByKey("t", "s", List.of(), List.of("v")))
                .containsExactly("INSERT INTO t (\"v\") SELECT \"v\" FROM s");
        assertThat(dialect.deleteInsert("t", "s", "h >= 1")).containsExactly("DELETE FROM t WHERE h >= 1",
                "INSERT INTO t BY NAME SELECT * FROM s");
        assertThat(dialect.publishView("v", "a FROM t")).isEqualTo("CREATE OR REPLACE VIEW v AS SELECT a FROM t");
    }

    @Test
    void copiesToParquetAndCsvWithOptions() {
        Path target = Path.of("/tmp/it's");
        assertThat(dialect.copyToParquet("SELECT 1", target, Dialect.ParquetOptions.defaults()))
                .isEqualTo("COPY (SELECT 1) TO '/tmp/it''s' (FORMAT parquet)");
        assertThat(dialect.copyToParquet("SELECT 1", target, new Dialect.ParquetOptions("COMPRESSION zstd",
                List.of("p")))).isEqualTo("COPY (SELECT 1) TO '/tmp/it''s' (FORMAT parquet, PARTITION_BY (p), "
                        + "COMPRESSION zstd)");
        assertThat(dialect.copyToParquet("SELECT 1", target, new Dialect.ParquetOptions("ROW_GROUP_SIZE 9",
                List.of("\"p\""), 1024L, "data_{i}"))).isEqualTo("COPY (SELECT 1) TO '/tmp/it''s' (FORMAT parquet, "
                        + "PARTITION_BY (\"p\"), ROW_GROUP_SIZE 9, FILE_SIZE_BYTES 1024, FILENAME_PATTERN 'data_{i}', "
                        + "OVERWRITE_OR_IGNORE true)");
        assertThat(dialect.copyToParquet("SELECT 1", target, new Dialect.ParquetOptions("", List.of(), null,
                "x_{i}"))).isEqualTo("COPY (SELECT 1) TO '/tmp/it''s' (FORMAT parquet, FILENAME_PATTERN 'x_{i}', "
                        + "OVERWRITE_OR_IGNORE true)");
        assertThat(dialect.parquetCompressionQuery()).isEqualTo("SELECT path_in_schema, string_agg(DISTINCT "
                + "compression, ',' ORDER BY compression), sum(total_compressed_size), sum(total_uncompressed_size) "
                + "FROM parquet_metadata(?) GROUP BY path_in_schema ORDER BY path_in_schema");
        assertThat(dialect.copyToCsv("SELECT 1", target))
                .isEqualTo("COPY (SELECT 1) TO '/tmp/it''s' (FORMAT csv, HEADER true)");
    }

    /** The quality gate's constructs: the SQL the gate wrote itself before the hooks existed. */
    @Test
    void writesTheGatesConstructs() {
        assertThat(dialect.stringLiteral("it's a\\d")).isEqualTo("'it''s a\\d'");
        assertThat(dialect.regexFullMatch("v", "a\\d+")).isEqualTo("regexp_full_match(v, 'a\\d+')");
        assertThat(dialect.startsWith("v", "SKU-")).isEqualTo("starts_with(v, 'SKU-')");
        assertThat(dialect.endsWith("v", "x")).isEqualTo("ends_with(v, 'x')");
        assertThat(dialect.byteLength("v")).isEqualTo("strlen(v)");
        assertThat(dialect.globMatch("v", "SKU-*[!0-9]*")).isEqualTo("v GLOB 'SKU-*[!0-9]*'");
        assertThat(dialect.quantile("\"c\"", 0.95)).isEqualTo("quantile_cont(\"c\", 0.95)");
        assertThat(dialect.secondsSince("max(ts)"))
                .isEqualTo("epoch(CAST(now() AS TIMESTAMP)) - epoch(CAST(max(ts) AS TIMESTAMP))");
        assertThat(dialect.stringAgg("rule", ", ")).isEqualTo("string_agg(rule, ', ')");
        assertThat(dialect.allColumnsExcept("__sluice_rowid")).isEqualTo("* EXCLUDE (\"__sluice_rowid\")");
        assertThat(dialect.relationsNamedQuery("s", "t__quarantine")).isEqualTo("SELECT table_name FROM "
                + "information_schema.tables WHERE table_catalog = current_database() AND table_schema = 's' AND "
                + "table_name = 't__quarantine'");
    }

    /** Strategies and windows: the statements exec wrote itself before. */
    @Test
    void writesStrategiesAndWindows() {
        assertThat(dialect.replaceByKey("t", "s", List.of("k"), List.of("k", "v"))).containsExactly(
                "DELETE FROM t AS t WHERE EXISTS (SELECT 1 FROM s AS s WHERE s.\"k\" IS NOT DISTINCT FROM t.\"k\")",
                "INSERT INTO t (\"k\", \"v\") SELECT \"k\", \"v\" FROM s");
        assertThat(dialect.useUtc()).isEqualTo("SET TimeZone = 'UTC'");
        assertThat(dialect.utcWallClock("ts")).isEqualTo("timezone('UTC', ts)");
        assertThat(dialect.microsBetween("a", "b")).isEqualTo("(epoch_us(b) - epoch_us(a))");
        assertThat(dialect.monthsBetween("a", "b")).isEqualTo("datediff('month', a, b)");
        // a bit per interval from 0 to 6, a zero bit at each end
        assertThat(dialect.inSpans("i", List.of(new Dialect.IndexSpan(0, 2), new Dialect.IndexSpan(5, 6))))
                .isEqualTo("get_bit(BITSTRING '01100010', CAST(least(greatest(i + 1, 0), 7) AS INTEGER)) = 1");
        long far = DuckDbDialect.BITMAP_INTERVALS;
        assertThat(dialect.inSpans("i", List.of(new Dialect.IndexSpan(0, 2), new Dialect.IndexSpan(far, far + 1))))
                .isEqualTo("i IN (SELECT unnest(range(r[1], r[2])) FROM (SELECT unnest([[0, 2], [" + far + ", "
                        + (far + 1) + "]]) AS r))");
        assertThat(dialect.spans(List.of(new Dialect.IndexSpan(0, 2), new Dialect.IndexSpan(5, 6))))
                .isEqualTo("SELECT unnest([0, 5]) AS span_from, unnest([2, 6]) AS span_to");
    }

    /**
     * Both forms of an interval test hold for exactly the indexes in the spans: the bitmap for spans close together,
     * also for indexes before, between and after them, and the semi-join for spans further apart than a bitmap takes.
     */
    @Test
    void testsIndexesAgainstSpansByBitmapOrSemiJoin() {
        long far = DuckDbDialect.BITMAP_INTERVALS;
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); dev.sluice.engine.Session session = engine.session()) {
            String indexes = "SELECT i FROM (VALUES (-3), (0), (1), (2), (4), (5), (6), (7), (" + far + "), ("
                    + (far + 1) + "), (NULL)) AS t(i) WHERE ";
            assertThat(session.query(indexes + dialect.inSpans("i", List.of(new Dialect.IndexSpan(1, 3),
                    new Dialect.IndexSpan(5, 6))) + " ORDER BY i").values())
                    .containsExactly(List.of(1), List.of(2), List.of(5));
            assertThat(session.query(indexes + dialect.inSpans("i", List.of(new Dialect.IndexSpan(-3, -2),
                    new Dialect.IndexSpan(far, far + 1))) + " ORDER BY i").values())
                    .containsExactly(List.of(-3), List.of((int) far));
        }
    }
}
