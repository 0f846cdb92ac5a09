package dev.sluice.connect.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.connect.NativeReads;
import dev.sluice.connect.Retries;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Engines;
import dev.sluice.engine.Session;
import dev.sluice.project.SourceSpec;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a {@code type: jdbc} source hands an engine that reads databases itself ({@link NativeReads}), without a
 * server: the planned queries with their values written in and each conversion named after its column, what each
 * column carries, and the connection's settings kept out of what prints.
 */
class JdbcNativeReadTest {
    private static final JdbcSpec SPEC = new JdbcSpec("jdbc:postgresql://db.example.com:5433/shop", "reader",
            "s3cret", "sales.orders", null, SourceSpec.TableDetection.WATERMARK, "updated_at", "2 hours", List.of(),
            2, "id", 500, null, Retries.DEFAULT);

    private static JdbcColumn column(String name, String type, int precision, int scale) {
        return JdbcTypes.postgres(name, quoted(name), type, precision, scale);
    }

    private static String quoted(String name) {
        return JdbcQuery.ALIAS + "." + JdbcQuery.quoted(name, "\"");
    }

    @Test
    void thePlannedQueriesReachTheEngineWithTheirValuesAndEachColumnWithWhatItCarries() {
        List<JdbcColumn> columns = List.of(column("id", "int8", 19, 0), column("amount", "numeric", 12, 2),
                column("exact", "numeric", 0, 0), column("at", "timestamptz", 0, 0), column("doc", "jsonb", 0, 0),
                column("bytes", "bytea", 0, 0), column("tags", "_text", 0, 0), column("ident", "uuid", 0, 0));
        JdbcQuery base = JdbcQuery.of(SPEC, "\"").aboveWatermark("updated_at", "timestamp", "2026-01-10 00:00:00",
                "2 hours");
        List<JdbcQuery> ranges = base.partitions("id", BigDecimal.ONE, BigDecimal.valueOf(100), 2);
        NativeReads.JdbcRead read = JdbcNativeRead.read(SPEC, true, new JdbcReader.Plan(columns, ranges, true));

        assertThat(read.source()).isEqualTo("table sales.orders on postgresql server db.example.com:5433");
        assertThat(read.url()).isEqualTo(SPEC.url());
        assertThat(read.properties()).containsExactlyInAnyOrderEntriesOf(Map.of("user", "reader", "password",
                "s3cret", "ApplicationName", "sluice"));
        assertThat(read.fetchSize()).isEqualTo(500);
        assertThat(read.toString()).doesNotContain("s3cret").doesNotContain("reader").contains("queries=2");
        assertThat(read.queries()).containsExactly(
                "SELECT sluice_source.\"id\" AS \"id\", sluice_source.\"amount\" AS \"amount\", CAST(sluice_source."
                        + "\"exact\" AS text) AS \"exact\", (sluice_source.\"at\" AT TIME ZONE 'UTC') AS \"at\", "
                        + "CAST(sluice_source.\"doc\" AS text) AS \"doc\", encode(sluice_source.\"bytes\", 'hex') AS "
                        + "\"bytes\", CAST(array_to_json(sluice_source.\"tags\") AS text) AS \"tags\", "
                        + "sluice_source.\"ident\" AS \"ident\", md5(CAST(sluice_source AS text)) AS "
                        + "\"_sluice_source_hash\" FROM \"sales\".\"orders\" AS sluice_source WHERE "
                        + "sluice_source.\"updated_at\" > CAST(E'2026-01-10 00:00:00' AS timestamp) - "
                        + "CAST(E'2 hours' AS interval) AND (sluice_source.\"id\" >= 1 AND sluice_source.\"id\" < 51 "
                        + "OR sluice_source.\"id\" IS NULL)",
                "SELECT sluice_source.\"id\" AS \"id\", sluice_source.\"amount\" AS \"amount\", CAST(sluice_source."
                        + "\"exact\" AS text) AS \"exact\", (sluice_source.\"at\" AT TIME ZONE 'UTC') AS \"at\", "
                        + "CAST(sluice_source.\"doc\" AS text) AS \"doc\", encode(sluice_source.\"bytes\", 'hex') AS "
                        + "\"bytes\", CAST(array_to_json(sluice_source.\"tags\") AS text) AS \"tags\", "
                        + "sluice_source.\"ident\" AS \"ident\", md5(CAST(sluice_source AS text)) AS "
                        + "\"_sluice_source_hash\" FROM \"sales\".\"orders\" AS sluice_source WHERE "
                        + "sluice_source.\"updated_at\" > CAST(E'2026-01-10 00:00:00' AS timestamp) - "
                        + "CAST(E'2 hours' AS interval) AND sluice_source.\"id\" >= 51");
        assertThat(read.columns()).containsExactly(
                new NativeReads.JdbcColumn("id", NativeReads.Sent.VALUE, "BIGINT"),
                new NativeReads.JdbcColumn("amount", NativeReads.Sent.VALUE, "DECIMAL(12,2)"),
                new NativeReads.JdbcColumn("exact", NativeReads.Sent.DECIMAL_TEXT, "DECIMAL(38,9)"),
                new NativeReads.JdbcColumn("at", NativeReads.Sent.UTC_TIMESTAMP, "TIMESTAMPTZ"),
                new NativeReads.JdbcColumn("doc", NativeReads.Sent.JSON_TEXT, "JSON"),
                new NativeReads.JdbcColumn("bytes", NativeReads.Sent.HEX_TEXT, "BLOB"),
                new NativeReads.JdbcColumn("tags", NativeReads.Sent.JSON_TEXT, "VARCHAR[]"),
                new NativeReads.JdbcColumn("ident", NativeReads.Sent.VALUE, "UUID"),
                new NativeReads.JdbcColumn("_sluice_source_hash", NativeReads.Sent.VALUE, "VARCHAR"));
    }

    @Test
    void otherDatabasesSendTheirDecimalsAsValuesAndNoApplicationName() {
        JdbcSpec other = new JdbcSpec("jdbc:h2:mem:shop", null, null, null, "SELECT 1 AS n", SourceSpec.TableDetection.FULL,
                null, null, List.of(), 1, null, 10, "org.h2.Driver", Retries.DEFAULT);
        JdbcColumn wide = JdbcTypes.generic("n", quoted("n"), java.sql.Types.NUMERIC, 0, 0);
        NativeReads.JdbcRead read = JdbcNativeRead.read(other, false, new JdbcReader.Plan(List.of(wide),
                List.of(JdbcQuery.of(other, "\"")), false));
        assertThat(read.properties()).containsExactly(Map.entry("driver", "org.h2.Driver"));
        assertThat(read.source()).isEqualTo("the query on the h2 database");
        assertThat(read.columns()).containsExactly(new NativeReads.JdbcColumn("n", NativeReads.Sent.VALUE,
                "DECIMAL(38,9)"));
        assertThat(read.queries()).containsExactly("SELECT sluice_source.\"n\" AS \"n\" FROM (SELECT 1 AS n) AS "
                + "sluice_source");
    }

    @Test
    void anEngineWithoutReadersOfItsOwnReadsThroughTheConnector() {
        try (var duckDb = Engines.factory("duckdb").open(EngineOptions.inMemory(List.of()));
                Session session = duckDb.session()) {
            assertThat(NativeReads.of(session)).isEmpty();
            assertThat(JdbcNativeRead.reader(session)).isEmpty();
        }
        NativeReads none = session -> true;
        assertThat(none.readsJdbc()).isFalse();
        assertThat(none.readsKafka()).isFalse();
        assertThatThrownBy(() -> none.jdbc(null, null, "v")).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageEndingWith(" does not read JDBC sources");
        assertThatThrownBy(() -> none.kafka(null, null, (partition, offset, value) -> { }))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageEndingWith(" does not read Kafka sources");
        NativeReads.KafkaRead kafka = new NativeReads.KafkaRead("k:9092", "clicks", Map.of("sasl.jaas.config",
                "password=s3cret"), Map.of(0, 1L), Map.of(0, 5L));
        assertThat(kafka.toString()).isEqualTo("KafkaRead[topic=clicks, from={0=1}, to={0=5}]");
    }
}
