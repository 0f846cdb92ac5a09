package dev.sluice.connect.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ProjectFixture;
import dev.sluice.SluiceException;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Engines;
import dev.sluice.engine.Session;
import dev.sluice.postgres.PostgresServer;
import dev.sluice.project.ProjectsWithEnvironment;
import dev.sluice.project.Source;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code type: jdbc} sources read by Spark's JDBC reader (sparksrc): the connector plans the read as on DuckDB (the
 * watermark pushed down, the partition ranges), and its stage on a Spark session is Spark's read of those queries,
 * one task per range. The rows Spark holds are compared with the source's by EXCEPT ALL both ways, in PostgreSQL.
 */
class SparkJdbcReadIT {
    private static final String TYPED_ON_SPARK = "SELECT CAST(id AS STRING), customer, CAST(amount AS STRING), "
            + "CAST(unbounded AS STRING), CAST(flag AS STRING), CAST(born AS STRING), "
            + "date_format(stamp, 'yyyy-MM-dd HH:mm:ss.SSSSSS'), date_format(stamp_zone, 'yyyy-MM-dd HH:mm:ss.SSSSSS'), "
            + "ident, docb, lower(hex(bytes)), to_json(numbers), to_json(words), CAST(small AS STRING), "
            + "CAST(regular AS STRING) FROM ";
    private static final String TYPED_ON_POSTGRES = "SELECT id::text, customer, amount::text, "
            + "CAST(unbounded AS numeric(38, 9))::text, flag::text, born::text, "
            + "to_char(stamp, 'YYYY-MM-DD HH24:MI:SS.US'), to_char(stamp_zone AT TIME ZONE 'UTC', "
            + "'YYYY-MM-DD HH24:MI:SS.US'), ident::text, docb::text, encode(bytes, 'hex'), array_to_json(numbers)::text, "
            + "array_to_json(words)::text, small::text, regular::text FROM public.typed";

    @TempDir
    static Path dir;
    private static String database;
    private static Engine spark;
    private static Session session;

    @BeforeAll
    static void start() {
        database = PostgresServer.newDatabase("spark_jdbc");
        execute("""
                CREATE TABLE public.typed (id bigint, customer text, amount numeric(12, 2), unbounded numeric,
                  flag boolean, born date, stamp timestamp, stamp_zone timestamptz, ident uuid, docb jsonb, bytes bytea,
                  numbers integer[], words text[], small smallint, regular integer)""",
                """
                INSERT INTO public.typed SELECT i, 'customer ' || (i % 7), i * 1.25, i * 1000000000000.5,
                  i % 2 = 0, DATE '2026-01-01' + i % 365, TIMESTAMP '2026-03-01 12:34:56.789012' + i * INTERVAL '1 minute',
                  TIMESTAMPTZ '2026-03-01 12:34:56.5+02' + i * INTERVAL '1 second', md5(i::text)::uuid,
                  jsonb_build_object('i', i, 'tags', jsonb_build_array('a', i)), decode(lpad(to_hex(i), 8, '0'), 'hex'),
                  ARRAY[i, NULL, -i], ARRAY['a b', NULL, 'c,' || i], (i % 30000)::smallint, i::integer
                FROM generate_series(1, 10000) AS i""",
                // rows of nothing: every column null, the partition column too
                "INSERT INTO public.typed (id) VALUES (NULL), (NULL)",
                "INSERT INTO public.typed (id, customer) VALUES (10001, '')",
                "CREATE TABLE public.events (id bigint, kind text, at timestamp)",
                "INSERT INTO public.events SELECT i, 'kind ' || (i % 3), TIMESTAMP '2026-01-01' + i * INTERVAL '1 hour' "
                        + "FROM generate_series(1, 500) AS i",
                "CREATE TABLE public.inexact (id int, value numeric)",
                "INSERT INTO public.inexact VALUES (1, 1.5), (2, 1.1234567891)");
        System.setProperty("sluice.spark.master", "local[2]");
        spark = Engines.factory("spark").open(EngineOptions.inMemory(List.of(dir)));
        session = spark.session();
    }

    @AfterAll
    static void stop() {
        session.close();
        spark.close();
    }

    @Test
    void aWholeReadGivesEverySourceRowWithItsTypes() {
        Source source = source("typed", "table: public.typed\n");
        String view = stage(source, null);
        assertThat(session.query("SELECT count(*) FROM " + view).values()).containsExactly(List.of(10003L));
        assertThat(spark.dialect()).isNotNull();
        assertThat(columnTypes(view)).containsExactly("BIGINT", "VARCHAR", "DECIMAL(12,2)", "DECIMAL(38,9)", "BOOLEAN",
                "DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "VARCHAR", "VARCHAR", "BLOB", "INTEGER[]",
                "VARCHAR[]", "SMALLINT", "INTEGER");
        assertSameRows(TYPED_ON_SPARK + view, TYPED_ON_POSTGRES);
    }

    @Test
    void aPartitionedReadIsOneSparkTaskPerRangeAndReadsEveryRowOnce() {
        Source source = source("typed_parts", "table: public.typed\npartitions: 4\npartition_column: id\n");
        String view = stage(source, null);
        // Four ranges of the id, the first with the rows whose id is null: four Spark partitions, none empty.
        List<List<Object>> perTask = session.query("SELECT spark_partition_id(), count(*), min(id), max(id) FROM "
                + view + " GROUP BY 1 ORDER BY 1").values();
        assertThat(perTask).hasSize(4);
        assertThat(perTask).allSatisfy(task -> assertThat((Long) task.get(1)).isGreaterThan(2000L));
        assertThat(session.query("SELECT spark_partition_id() FROM " + view + " WHERE id IS NULL").values())
                .containsOnly(List.of(0));
        assertSameRows(TYPED_ON_SPARK + view, TYPED_ON_POSTGRES);
    }

    @Test
    void aWatermarkReadSendsTheMarkToTheSourceAndReadsOnlyTheRowsAboveIt() {
        Source source = source("events", "table: public.events\nwatermark: at\noverlap: 2 hours\n"
                + "partitions: 3\npartition_column: id\n");
        String view = stage(source, "2026-01-10 00:00:00");
        assertSameRows("SELECT CAST(id AS STRING), kind, date_format(at, 'yyyy-MM-dd HH:mm:ss') FROM " + view,
                "SELECT id::text, kind, to_char(at, 'YYYY-MM-DD HH24:MI:SS') FROM public.events "
                        + "WHERE at > TIMESTAMP '2026-01-10 00:00:00' - INTERVAL '2 hours'");
        assertThat(session.query("SELECT min(id), count(*) FROM " + view).values())
                .containsExactly(List.of(215L, 286L));
    }

    @Test
    void aDecimalThatWouldLoseADigitFailsTheReadInsteadOfBeingRounded() {
        Source source = source("inexact", "table: public.inexact\n");
        String view = stage(source, null);
        assertThat(session.query("SELECT CAST(value AS STRING) FROM " + view + " WHERE id = 1").values())
                .containsExactly(List.of("1.500000000"));
        assertThatThrownBy(() -> session.query("SELECT * FROM " + view)).isInstanceOf(SluiceException.class)
                .hasMessageContaining("Cannot read column value: it holds 1.1234567891, which DECIMAL(38,9) cannot "
                        + "hold exactly; give the column a precision and scale on the source");
    }

    @Test
    void aSourceSparkCannotReadIsRefusedNamingItAndTheFix() {
        execute("CREATE TABLE public.dropped (id int)");
        Source source = source("dropped", "table: public.dropped\n");
        try (JdbcDatabase database = JdbcDatabase.open(source, 1, UnaryOperator.identity())) {
            JdbcReader reader = new JdbcReader(source, database, UnaryOperator.identity());
            JdbcReader.Plan plan = reader.plan(null);
            execute("DROP TABLE public.dropped");
            assertThatThrownBy(() -> reader.stage(session, plan))
                    .isInstanceOf(SluiceException.class)
                    .hasMessageStartingWith("cannot read table public.dropped on postgresql server localhost:")
                    .hasMessageContaining("through Spark's JDBC reader: ")
                    .hasMessageContaining("check url:, table: or query: in sluice.yml");
        }
    }

    /** The connector's stage of the source on the Spark session: Spark's read of the planned queries. */
    private static String stage(Source source, String previousWatermark) {
        return JdbcStages.stage(session, source, previousWatermark);
    }

    private static Source source(String name, String settings) {
        ProjectFixture project = ProjectFixture.at(dir.resolve(name));
        project.write("sluice.yml", "name: " + name + "\nwarehouse: target/w.duckdb\nsources:\n  raw." + name
                + ":\n    type: jdbc\n    url: " + PostgresServer.url(database) + "\n    user: postgres\n"
                + settings.stripTrailing().indent(4));
        project.write("models/" + name + "_count.sql", "SELECT count(*) AS n FROM raw." + name + "\n");
        return ProjectsWithEnvironment.read(project.root(), Map.of()).sources().get(0);
    }

    private static List<String> columnTypes(String view) {
        return session.describe("SELECT * FROM " + view).types();
    }

    private static void execute(String... statements) {
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Spark's rows (as text) and the source's are the same multiset: Spark's are copied into a temporary table of
     * PostgreSQL and compared with {@code EXCEPT ALL} both ways.
     */
    private static void assertSameRows(String sparkSql, String sourceSql) {
        List<List<Object>> loaded = session.query(sparkSql).values();
        assertThat(loaded).isNotEmpty();
        int width = loaded.get(0).size();
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement()) {
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= width; i++) {
                columns.add("c" + i + " text");
            }
            statement.execute("CREATE TEMP TABLE loaded (" + String.join(", ", columns) + ")");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO loaded VALUES ("
                    + String.join(", ", Collections.nCopies(width, "?")) + ")")) {
                for (List<Object> row : loaded) {
                    for (int i = 0; i < width; i++) {
                        insert.setString(i + 1, row.get(i) == null ? null : row.get(i).toString());
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            String source = "SELECT * FROM (" + sourceSql + ") AS s";
            assertThat(count(statement, source + " EXCEPT ALL SELECT * FROM loaded")).as("source rows not read")
                    .isZero();
            assertThat(count(statement, "SELECT * FROM loaded EXCEPT ALL " + source)).as("read rows not in the source")
                    .isZero();
            assertThat(count(statement, source)).isEqualTo(loaded.size());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM (" + sql + ") AS x")) {
            result.next();
            return result.getLong(1);
        }
    }
}
