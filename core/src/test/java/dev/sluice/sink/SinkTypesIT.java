package dev.sluice.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.RunResult;
import dev.sluice.postgres.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every DuckDB type a model may publish, as its PostgreSQL column type and value on the sink's target. */
class SinkTypesIT {
    @TempDir
    Path dir;

    @Test
    void mapsEachDuckDbTypeToAPostgresTypeKeepingItsValue() throws Exception {
        String database = PostgresServer.newDatabase("sink_types");
        ProjectFixture project = ProjectFixture.at(dir);
        project.files("sluice.yml", "name: types\nwarehouse: target/types.duckdb\n", "models/every_type.sql", """
                /*---
                materialized: table
                parser: duckdb
                sink: { type: jdbc, url: "%s", user: postgres, table: every_type }
                ---*/
                SELECT 1::BIGINT AS id, true AS flag, 7::TINYINT AS tiny, 42::INTEGER AS int4,
                    123.456::DECIMAL(10,3) AS price, 12345678901234567890::HUGEINT AS huge, 1.5::DOUBLE AS ratio,
                    2.5::FLOAT AS f4, E'tab\\there, back\\\\slash, line\\nbreak é' AS label, DATE '2026-01-02' AS day,
                    TIMESTAMP '2026-01-02 03:04:05.123456' AS at, TIMESTAMPTZ '2026-01-02 03:04:05+02' AS at_tz,
                    TIME '10:11:12' AS clock, INTERVAL '1 day 2 hours' AS span, '\\xAA\\xBB'::BLOB AS bytes,
                    '6f1c2b9e-0000-4000-8000-000000000001'::UUID AS uid, [1, 2, NULL]::INTEGER[] AS ints,
                    ['a,b', 'c"d', NULL] AS texts, {'a': 1, 'b': 'x'} AS struct_col, [[1], [2]] AS nested,
                    MAP {'k': 1} AS map_col, '{"j": 1}'::JSON AS json_col, 'x'::ENUM_PLACEHOLDER AS mood
                UNION ALL
                SELECT 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                    NULL, NULL, NULL, NULL, NULL, NULL, NULL
                """.formatted(PostgresServer.url(database)).replace("'x'::ENUM_PLACEHOLDER", "'happy'"));

        RunResult run = project.run();

        assertThat(run.succeeded()).as("%s", run.models()).isTrue();
        Map<String, String> types = new LinkedHashMap<>();
        List<String> values = new ArrayList<>();
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement()) {
            statement.execute("SET TIME ZONE 'UTC'");
            try (ResultSet result = statement.executeQuery("SELECT a.attname, format_type(a.atttypid, a.atttypmod) "
                    + "FROM pg_attribute a WHERE a.attrelid = 'public.every_type'::regclass AND a.attnum > 0 "
                    + "ORDER BY a.attnum")) {
                while (result.next()) {
                    types.put(result.getString(1), result.getString(2));
                }
            }
            try (ResultSet result = statement.executeQuery("SELECT * FROM public.every_type ORDER BY id")) {
                while (result.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= types.size(); i++) {
                        row.add(result.getString(i));
                    }
                    values.add(String.join(" | ", row.stream().map(String::valueOf).toList()));
                }
            }
        }
        assertThat(types).containsExactly(Map.entry("id", "bigint"), Map.entry("flag", "boolean"),
                Map.entry("tiny", "smallint"), Map.entry("int4", "integer"), Map.entry("price", "numeric(10,3)"),
                Map.entry("huge", "numeric"), Map.entry("ratio", "double precision"), Map.entry("f4", "real"),
                Map.entry("label", "text"), Map.entry("day", "date"), Map.entry("at", "timestamp without time zone"),
                Map.entry("at_tz", "timestamp with time zone"), Map.entry("clock", "time without time zone"),
                Map.entry("span", "interval"), Map.entry("bytes", "bytea"), Map.entry("uid", "uuid"),
                Map.entry("ints", "integer[]"), Map.entry("texts", "text[]"), Map.entry("struct_col", "jsonb"),
                Map.entry("nested", "jsonb"), Map.entry("map_col", "jsonb"), Map.entry("json_col", "jsonb"),
                Map.entry("mood", "text"));
        assertThat(values).containsExactly(
                "1 | t | 7 | 42 | 123.456 | 12345678901234567890 | 1.5 | 2.5 | tab\there, back\\slash, line\nbreak é"
                        + " | 2026-01-02 | 2026-01-02 03:04:05.123456 | 2026-01-02 01:04:05+00 | 10:11:12 | "
                        + "1 day 02:00:00 | \\xaabb | 6f1c2b9e-0000-4000-8000-000000000001 | {1,2,NULL} | "
                        + "{\"a,b\",\"c\\\"d\",NULL} | {\"a\": 1, \"b\": \"x\"} | [[1], [2]] | {\"k\": 1} | "
                        + "{\"j\": 1} | happy",
                "2 | null | null | null | null | null | null | null | null | null | null | null | null | null | null | "
                        + "null | null | null | null | null | null | null | null");
    }
}
