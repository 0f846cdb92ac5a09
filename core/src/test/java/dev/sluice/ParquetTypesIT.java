package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every DuckDB type a model can produce comes back from a Parquet output exactly as from the warehouse: the lake
 * view of a table, an incremental and a windowed model describes and returns what the same model built into the
 * warehouse does. HUGEINT values that do not fit DECIMAL(38,0) are refused with the model named, never rounded.
 */
class ParquetTypesIT {
    /** One column of every type, from the rows of raw.events (ids 1 to 3, some values NULL on id 2). */
    private static final String TYPES = """
            SELECT id, ts,
              sum(quantity) AS total,
              CAST(id AS TINYINT) AS i8, CAST(-id AS SMALLINT) AS i16, CAST(id * 100000 AS INTEGER) AS i32,
              CAST(id * 10000000000 AS BIGINT) AS i64,
              CAST(id + 250 AS UTINYINT) AS u8, CAST(id + 65000 AS USMALLINT) AS u16,
              CAST(id + 4000000000 AS UINTEGER) AS u32, CAST(18446744073709551615 - id AS UBIGINT) AS u64,
              CAST(12345678901234567890123 AS HUGEINT) + id AS huge,
              CAST(-99999999999999999999999999999999999999 AS HUGEINT) + id AS huge_low,
              CAST(99999999999999999999999999999999999999 AS UHUGEINT) - id AS uhuge,
              CAST(id + 0.5 AS DECIMAL(4,1)) AS d4, CAST(id * 1234567.891 AS DECIMAL(12,3)) AS d12,
              CAST(id * 123456789012.345678 AS DECIMAL(18,6)) AS d18,
              CAST('12345678901234567890.0123456789' AS DECIMAL(38,10)) + id AS d38,
              id / 3.0 AS dbl, CAST(id / 3.0 AS FLOAT) AS flt, CAST('-0.0' AS DOUBLE) AS negative_zero,
              CAST('NaN' AS DOUBLE) AS nan, id % 2 = 0 AS flag,
              CASE WHEN id = 2 THEN NULL ELSE 'é ✓ ' || id END AS text, CAST('\\x00\\xFF' AS BLOB) AS bytes,
              DATE '2024-02-29' + CAST(id AS INTEGER) AS day, TIME '12:34:56.123456' AS clock,
              TIMESTAMP '2024-01-01 12:34:56.123456' AS ts_us, CAST(TIMESTAMP '2024-01-01 12:34:56' AS TIMESTAMP_S) AS ts_s,
              CAST(TIMESTAMP '2024-01-01 12:34:56.123' AS TIMESTAMP_MS) AS ts_ms,
              CAST('2024-01-01 12:34:56.123456789' AS TIMESTAMP_NS) AS ts_ns,
              CAST('2024-01-01 12:34:56.123456+00' AS TIMESTAMPTZ) AS ts_tz,
              INTERVAL '1 month 2 days 3 microseconds' * CAST(id AS BIGINT) AS span,
              CAST('12:00:00.5+02:30' AS TIMETZ) AS clock_tz,
              CAST('6ba7b810-9dad-11d1-80b4-00c04fd430c8' AS UUID) AS uid,
              [id, NULL, id * 2] AS list, [[INTERVAL '1 microsecond']] AS nested_spans,
              {'a': id, 'hugeint': CAST(1 AS HUGEINT) << 100, 'odd name': [INTERVAL '5 microseconds']} AS record,
              MAP {'k': CAST(12345678901234567890123 AS HUGEINT)} AS dict,
              CAST(CASE WHEN id = 1 THEN 'low' ELSE 'high' END AS ENUM('low', 'high')) AS level,
              CAST('{"a": [1, 2]}' AS JSON) AS doc, CAST([id, 2, 3] AS INTEGER[3]) AS fixed,
              CAST('1011' AS BIT) AS bits, CAST(id AS BIGNUM) * 100000000000000000000000000000000000000000 AS bignum,
              CAST(CASE WHEN id = 1 THEN union_value(n := id) END AS UNION(n BIGINT, s VARCHAR)) AS choice
            FROM raw.events
            GROUP BY ALL
            """;

    @TempDir
    Path dir;

    @Test
    void everyTypeOfATableIncrementalAndWindowedModelReadsBackFromParquetAsFromTheWarehouse() throws IOException {
        Path project = ProjectFixture.copyTo("parquet_types_every_type", dir.resolve("types")).root();
        for (String format : List.of("warehouse", "parquet")) {
            ProjectFixture.at(project).write("models/table_" + format + ".sql", """
                    /*---
                    materialized: table
                    storage: { format: %s }
                    parser: duckdb
                    ---*/
                    """.formatted(format) + TYPES);
            ProjectFixture.at(project).write("models/incremental_" + format + ".sql", """
                    /*---
                    materialized: incremental
                    incremental: { strategy: append }
                    storage: { format: %s }
                    parser: duckdb
                    ---*/
                    """.formatted(format) + TYPES);
            ProjectFixture.at(project).write("models/windowed_" + format + ".sql", """
                    /*---
                    materialized: incremental
                    time: { column: ts, grain: 1 day, start: 2024-01-01, lateness: 7 days }
                    storage: { format: %s }
                    parser: duckdb
                    ---*/
                    """.formatted(format) + TYPES);
        }
        events(project, "a.csv", "1,2024-01-01T10:00,1000\n1,2024-01-01T10:00,519\n2,2024-01-02T10:00,7\n", 1);
        Sluice sluice = Sluice.open(project);
        RunResult first = sluice.run(RunOptions.defaults());
        assertThat(first.succeeded()).as("%s", first).isTrue();
        assertSameAsWarehouse(sluice);
        // the sum of BIGINT quantities is a HUGEINT in the lake as in the warehouse, not 1519.0
        for (String kind : List.of("table", "incremental", "windowed")) {
            assertThat(sluice.query("SELECT total, typeof(total), huge FROM main." + kind + "_parquet WHERE id = 1")
                    .rows()).containsExactly(List.of(BigInteger.valueOf(1519), "HUGEINT",
                            new BigInteger("12345678901234567890124")));
        }

        // a second file: the incremental lake appends files beside the linked ones, the windowed one a partition
        events(project, "b.csv", "3,2024-01-03T10:00,5\n", 2);
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.succeeded()).as("%s", second).isTrue();
        assertThat(sluice.query("SELECT count(*) FROM main.incremental_parquet").rows()).containsExactly(List.of(3L));
        assertSameAsWarehouse(sluice);
    }

    private static void assertSameAsWarehouse(Sluice sluice) {
        for (String kind : List.of("table", "incremental", "windowed")) {
            assertThat(sluice.query("DESCRIBE main." + kind + "_parquet").rows()).as(kind)
                    .isEqualTo(sluice.query("DESCRIBE main." + kind + "_warehouse").rows());
            assertThat(text(sluice, kind + "_parquet")).as(kind).isEqualTo(text(sluice, kind + "_warehouse"))
                    .isNotEmpty();
            // the values themselves, not only their text: no row of one is missing from the other
            assertThat(sluice.query("SELECT count(*) FROM (SELECT * EXCLUDE (dict, choice) FROM main." + kind
                    + "_parquet EXCEPT SELECT * EXCLUDE (dict, choice) FROM main." + kind + "_warehouse)").rows())
                    .as(kind).containsExactly(List.of(0L));
        }
    }

    /** Every row of a model as the text of its values, in the order of that text. */
    private static List<List<Object>> text(Sluice sluice, String model) {
        return sluice.query("SELECT CAST(COLUMNS(*) AS VARCHAR) FROM main." + model + " ORDER BY ALL").rows();
    }

    @Test
    void aHugeintBeyondDecimal38IsRefusedWithTheModelNamedAndNothingPublished() throws IOException {
        Path project = ProjectFixture.copyTo("parquet_types_hugeint", dir.resolve("huge")).root();
        Sluice sluice = Sluice.open(project);
        RunResult run = sluice.run(RunOptions.defaults());
        assertThat(run.succeeded()).isFalse();
        assertThat(run.model("big").get().error()).contains("Cannot write model big (models/big.sql) to Parquet: "
                + "column too_big (HUGEINT[]) holds values beyond DECIMAL(38,0) in 1 row(s)")
                .contains("storage: { format: warehouse }");
        try (Stream<Path> versions = Files.list(project.resolve("target/lake/main/big"))) {
            assertThat(versions.toList()).isEmpty();
        } catch (java.nio.file.NoSuchFileException e) {
            // never created: nothing written either
        }
    }

    @Test
    void partitionColumnsOfEveryKindReadBackInTheirTypes() {
        Path project = ProjectFixture.copyTo("parquet_types_partitions", dir.resolve("partitioned")).root();
        for (String format : List.of("warehouse", "parquet")) {
            ProjectFixture.at(project).write("models/parts_" + format + ".sql", """
                    /*---
                    materialized: table
                    storage: { format: %s%s }
                    parser: duckdb
                    ---*/
                    SELECT i AS id, CAST(i %% 3 AS HUGEINT) * 12345678901234567890123 AS huge,
                      lpad(CAST(i %% 2 AS VARCHAR), 3, '0') AS code, INTERVAL 1 MICROSECOND * (i %% 2) AS span,
                      CAST(CASE WHEN i %% 2 = 0 THEN 'a' ELSE 'b' END AS ENUM('a', 'b')) AS level
                    FROM range(12) AS r(i)
                    """.formatted(format, format.equals("parquet") ? ", partition_by: [huge, code, span, level]"
                    : ""));
        }
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        assertThat(sluice.query("DESCRIBE main.parts_parquet").rows())
                .isEqualTo(sluice.query("DESCRIBE main.parts_warehouse").rows());
        assertThat(text(sluice, "parts_parquet")).isEqualTo(text(sluice, "parts_warehouse")).hasSize(12);
        assertThat(sluice.query("SELECT DISTINCT code FROM main.parts_parquet ORDER BY code").rows())
                .containsExactly(List.of("000"), List.of("001"));
    }

    private static void events(Path project, String name, String rows, int order) throws IOException {
        Path file = ProjectFixture.at(project).write("data/" + name, "id,ts,quantity\n" + rows);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(order)));
    }
}
