package dev.sluice.connect.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: jdbc} against a real PostgreSQL: whole reads, the types it maps, and the source left unchanged. */
class JdbcSourceIT {
    private static JdbcFixture postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void createTables() {
        postgres = new JdbcFixture("jdbc_source");
        postgres.execute("""
                CREATE TABLE public.typed (
                  id bigint PRIMARY KEY, small smallint, regular integer, real_value real, double_value double precision,
                  price numeric(12, 2), unbounded numeric, wide numeric(30, 10), flag boolean, label text,
                  code varchar(10), born date, stamp timestamp, stamp_zone timestamptz, ident uuid, doc json, docb jsonb,
                  bytes bytea, numbers integer[], words text[])""",
                """
                INSERT INTO public.typed VALUES
                  (1, -32768, 2147483647, 1.5, 0.1, 12345678.91, 123456789012345678901234567.123456789,
                   12345678901234567890.0123456789, true, 'héllo, "world"', 'abc', '2026-02-28',
                   '2026-03-01 12:34:56.789012', '2026-03-01 12:34:56.5+02', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
                   '{"a": [1, 2], "b": null}', '{"z": 1, "a": "x"}', '\\xdeadbeef00', '{1,2,NULL,4}',
                   '{"a","b c",NULL,"d,e"}'),
                  (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                   NULL, NULL, NULL),
                  (3, 0, 0, -0.25, -1e300, -0.01, 0, 0, false, '', 'x', '1970-01-01', '1999-12-31 23:59:59',
                   '1999-12-31 23:59:59-08', '00000000-0000-0000-0000-000000000000', '[]', '{}', '\\x', '{}', '{}')""",
                "CREATE SCHEMA sales",
                "CREATE TABLE sales.orders AS SELECT i AS id, 'customer ' || (i % 7) AS customer, "
                        + "CAST(i * 1.25 AS numeric(12,2)) AS amount FROM generate_series(1, 5000) AS i");
    }

    @Test
    void aWholeReadLoadsEveryRowWithTheSourcesTypes() {
        assertWholeRead("typed");
    }

    @Test
    void theResultSetReadOfDriversWithoutCopyLoadsTheSameValues() {
        // Databases other than PostgreSQL are read through their driver's result sets and the bulk loader.
        JdbcReader.copyFromPostgres = false;
        try {
            assertWholeRead("typed_result_set");
        } finally {
            JdbcReader.copyFromPostgres = true;
        }
    }

    @Test
    void aPartitionedReadLoadsTheSameValuesAndEmptyPartitionsOrTablesLoadNothing() {
        // Four binary COPYs, each on its own connection and thread, into one load: of the typed table's 3 rows,
        // some partitions hold none.
        assertWholeRead("typed_split", "partitions: 4\npartition_column: id\n");
        postgres.execute("CREATE TABLE public.nothing (id bigint, note text)");
        ProjectFixture empty = postgres.project(dir, "nothing", "table: public.nothing\npartitions: 4\n"
                + "partition_column: id\n");
        RunResult run = empty.run();
        assertThat(run.succeeded()).as(String.valueOf(run)).isTrue();
        assertThat(run.sources().get(0).rows()).isZero();
        assertThat(JdbcFixture.warehouseRows(empty.open(), "SELECT CAST(count(*) AS VARCHAR) FROM raw.nothing"))
                .containsExactly(List.of("0"));
    }

    private void assertWholeRead(String name) {
        assertWholeRead(name, "");
    }

    private void assertWholeRead(String name, String settings) {
        ProjectFixture project = postgres.project(dir, name, "table: public.typed\nfetch_size: 2\n" + settings);
        RunResult run = project.run();
        assertThat(run.succeeded()).as(String.valueOf(run)).isTrue();
        assertThat(run.sources()).singleElement().satisfies(source -> assertThat(source.rows()).isEqualTo(3));
        Sluice sluice = project.open();

        assertThat(JdbcFixture.warehouseRows(sluice, "SELECT column_name, data_type FROM information_schema.columns "
                + "WHERE table_schema = 'raw' AND table_name = '" + name + "' ORDER BY ordinal_position")).containsExactly(
                List.of("id", "BIGINT"), List.of("small", "SMALLINT"), List.of("regular", "INTEGER"),
                List.of("real_value", "FLOAT"), List.of("double_value", "DOUBLE"), List.of("price", "DECIMAL(12,2)"),
                List.of("unbounded", "DECIMAL(38,9)"), List.of("wide", "DECIMAL(30,10)"), List.of("flag", "BOOLEAN"),
                List.of("label", "VARCHAR"), List.of("code", "VARCHAR"), List.of("born", "DATE"),
                List.of("stamp", "TIMESTAMP"), List.of("stamp_zone", "TIMESTAMP WITH TIME ZONE"), List.of("ident", "UUID"),
                List.of("doc", "JSON"), List.of("docb", "JSON"), List.of("bytes", "BLOB"),
                List.of("numbers", "INTEGER[]"), List.of("words", "VARCHAR[]"));

        // Every value as the source holds it: instants compared in UTC, bytes in hex, JSON and arrays as text.
        String warehouse = "SELECT CAST(id AS VARCHAR), CAST(small AS VARCHAR), CAST(regular AS VARCHAR), "
                + "CAST(real_value AS VARCHAR), CAST(double_value AS VARCHAR), CAST(price AS VARCHAR), "
                + "CAST(unbounded AS VARCHAR), CAST(wide AS VARCHAR), CAST(flag AS VARCHAR), label, code, "
                + "CAST(born AS VARCHAR), strftime(stamp, '%Y-%m-%d %H:%M:%S.%f'), "
                + "strftime(timezone('UTC', stamp_zone), '%Y-%m-%d %H:%M:%S.%f'), CAST(ident AS VARCHAR), "
                + "CAST(doc AS VARCHAR), CAST(docb AS VARCHAR), lower(hex(bytes)), "
                + "CAST(to_json(numbers) AS VARCHAR), CAST(to_json(words) AS VARCHAR) FROM raw." + name + " ORDER BY id";
        String source = "SELECT id::text, small::text, regular::text, real_value::text, double_value::text, "
                + "price::text, CAST(unbounded AS numeric(38, 9))::text, wide::text, flag::text, label, code, born::text, "
                + "to_char(stamp, 'YYYY-MM-DD HH24:MI:SS.US'), to_char(stamp_zone AT TIME ZONE 'UTC', "
                + "'YYYY-MM-DD HH24:MI:SS.US'), ident::text, doc::text, docb::text, encode(bytes, 'hex'), "
                + "replace(array_to_json(numbers)::text, ',', ','), array_to_json(words)::text FROM public.typed "
                + "ORDER BY id";
        List<List<String>> loaded = JdbcFixture.warehouseRows(sluice, warehouse);
        List<List<String>> expected = postgres.sourceRows(source).stream().map(JdbcSourceIT::normalise).toList();
        assertThat(loaded.stream().map(JdbcSourceIT::normalise).toList()).containsExactlyElementsOf(expected);
    }

    @Test
    void theBinaryCopyOfOneStreamLoadsNarrowDecimalsInfinitiesAndTheEpochsEdges() {
        postgres.execute("CREATE TABLE public.edges (id int, d4 numeric(4,2), d9 numeric(9,3), d18 numeric(18,6), "
                + "born date, stamp timestamp, big numeric(20,0))",
                "INSERT INTO public.edges VALUES "
                        + "(1, -12.34, -123456.789, -123456789012.345678, 'infinity', 'infinity', -99999999999999999999),"
                        + "(2, 0.01, 0.001, 0.000001, '-infinity', '-infinity', 10000000000000000000),"
                        + "(3, 99.99, 999999.999, 999999999999.999999, '0001-01-01', '1969-12-31 23:59:59.999999', 1),"
                        + "(4, 0, 0, 0, '1999-12-31', '2000-01-01 00:00:00', 0)");
        ProjectFixture project = postgres.project(dir, "edges", "table: public.edges\n");
        RunResult run = project.run();
        assertThat(run.succeeded()).as(String.valueOf(run)).isTrue();
        assertThat(JdbcFixture.warehouseRows(project.open(), "SELECT CAST(id AS VARCHAR), CAST(d4 AS VARCHAR), "
                + "CAST(d9 AS VARCHAR), CAST(d18 AS VARCHAR), CAST(born AS VARCHAR), CAST(stamp AS VARCHAR), "
                + "CAST(big AS VARCHAR) FROM raw.edges ORDER BY id")).containsExactly(
                List.of("1", "-12.34", "-123456.789", "-123456789012.345678", "infinity", "infinity",
                        "-99999999999999999999"),
                List.of("2", "0.01", "0.001", "0.000001", "-infinity", "-infinity", "10000000000000000000"),
                List.of("3", "99.99", "999999.999", "999999999999.999999", "0001-01-01",
                        "1969-12-31 23:59:59.999999", "1"),
                List.of("4", "0.00", "0.000", "0.000000", "1999-12-31", "2000-01-01 00:00:00", "0"));
    }

    @Test
    void valuesTheWarehouseCannotHoldFailTheBinaryCopyNamingTheColumnAndValue() {
        postgres.execute("CREATE TABLE public.not_a_number (id int, x numeric(10,2))",
                "INSERT INTO public.not_a_number VALUES (1, 1.5), (2, 'NaN')",
                "CREATE TABLE public.far_stamp (id int, at timestamp)",
                "INSERT INTO public.far_stamp VALUES (1, TIMESTAMP '2026-01-01'), (2, TIMESTAMP '294270-01-01')");
        RunResult nan = postgres.project(dir, "not_a_number", "table: public.not_a_number\n").run();
        assertThat(nan.sources().get(0).error()).startsWith("Cannot load source raw.not_a_number (sluice.yml:")
                .contains("column x holds NaN, which DECIMAL(10,2) cannot hold; read it with query: and a CASE");
        RunResult far = postgres.project(dir, "far_stamp", "table: public.far_stamp\n").run();
        assertThat(far.sources().get(0).error()).startsWith("Cannot load source raw.far_stamp (sluice.yml:")
                .contains("column at holds +294270-01-01T00:00, past the end of the warehouse's TIMESTAMP range");
    }

    @Test
    void itsConnectionsAreReadOnly() throws Exception {
        JdbcSpec spec = new JdbcSpec(dev.sluice.postgres.PostgresServer.url(postgres.database), "postgres", null,
                "public.typed", null, dev.sluice.project.SourceSpec.TableDetection.FULL, null, null, List.of(), 1,
                null, 100, null, dev.sluice.connect.Retries.DEFAULT);
        dev.sluice.project.Source source = new dev.sluice.project.Source("raw", "typed", spec, java.util.Map.of(),
                new dev.sluice.project.Location(dir.resolve("sluice.yml"), 1, 1), List.of());
        try (JdbcDatabase database = JdbcDatabase.open(source, 1, text -> text);
                java.sql.Connection connection = database.connect();
                java.sql.Statement statement = connection.createStatement()) {
            assertThat(connection.isReadOnly()).isTrue();
            assertThat(connection.getAutoCommit()).isFalse();
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> statement.execute(
                    "CREATE TABLE public.written (id int)"))).hasMessageContaining("read-only transaction");
        }
    }

    @Test
    void valuesItCannotHoldExactlyAndBadSettingsFailTheLoadWithTheirReason() {
        postgres.execute("CREATE TABLE public.too_precise (id int, ratio numeric)",
                "INSERT INTO public.too_precise VALUES (1, 0.5), (2, 0.123456789012)");
        RunResult precise = postgres.project(dir, "too_precise", "table: too_precise\n").run();
        assertThat(precise.sources().get(0).error()).startsWith("Cannot load source raw.too_precise (sluice.yml:")
                .contains("column ratio holds 0.123456789012, which DECIMAL(38,9) cannot hold exactly; give the "
                        + "column a precision and scale on the source");

        RunResult textKey = postgres.project(dir, "text_key", "table: sales.orders\npartitions: 2\n"
                + "partition_column: customer\n").run();
        assertThat(textKey.sources().get(0).error()).contains("partition_column 'customer' is of type text, not a "
                + "number; split the reads on a numeric column");

        RunResult missing = postgres.project(dir, "missing_column", "table: sales.orders\npartitions: 2\n"
                + "partition_column: nope\n").run();
        assertThat(missing.sources().get(0).error()).contains("partition_column 'nope' is not a column of the "
                + "source, whose columns are id, customer, amount");

        ProjectFixture badQuery = postgres.project(dir, "bad_query", "query: SELECT nothing FROM nowhere\n");
        assertThat(ProjectFixture.failure(badQuery::run).getMessage() + ProjectFixture.failure(badQuery::run)
                .problems()).contains("cannot read the columns of the query on postgresql server localhost:")
                .contains("relation \"nowhere\" does not exist");
    }

    /** Spellings that differ without the value differing: booleans, JSON spacing, float text. */
    private static List<String> normalise(List<String> row) {
        return row.stream().map(value -> value == null ? null : switch (value) {
            case "t" -> "true";
            case "f" -> "false";
            default -> value.replace(", ", ",").replace(": ", ":");
        }).toList();
    }

    @Test
    void aSchemaQualifiedTableAndAQueryReadTheSameRows() {
        ProjectFixture table = postgres.project(dir, "orders", "table: sales.orders\n");
        assertThat(table.run().succeeded()).isTrue();
        postgres.assertSameRows(table.open(), "SELECT CAST(id AS VARCHAR), customer, CAST(amount AS VARCHAR) "
                + "FROM raw.orders", "SELECT id::text, customer, amount::text FROM sales.orders");

        ProjectFixture query = postgres.project(dir, "big_orders", "query: SELECT id, amount FROM sales.orders "
                + "WHERE amount > 6000\n");
        RunResult run = query.run();
        assertThat(run.sources().get(0).rows()).isEqualTo(200);
        postgres.assertSameRows(query.open(), "SELECT CAST(id AS VARCHAR), CAST(amount AS VARCHAR) "
                + "FROM raw.big_orders", "SELECT id::text, amount::text FROM sales.orders WHERE amount > 6000");
    }
}
