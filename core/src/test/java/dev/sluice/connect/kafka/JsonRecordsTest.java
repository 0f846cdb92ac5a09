package dev.sluice.connect.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonRecordsTest {
    private static KafkaSpec.Column column(String name, KafkaSpec.ColumnType type, String sqlType, String... path) {
        return new KafkaSpec.Column(name, type, sqlType, path.length == 0 ? List.of(name) : List.of(path));
    }

    private static final List<KafkaSpec.Column> COLUMNS = List.of(
            column("ok", KafkaSpec.ColumnType.BOOLEAN, "BOOLEAN"),
            column("tiny", KafkaSpec.ColumnType.TINYINT, "TINYINT"),
            column("small", KafkaSpec.ColumnType.SMALLINT, "SMALLINT"),
            column("user_id", KafkaSpec.ColumnType.INTEGER, "INTEGER", "user", "id"),
            column("big", KafkaSpec.ColumnType.BIGINT, "BIGINT"),
            column("ratio", KafkaSpec.ColumnType.FLOAT, "FLOAT"),
            column("score", KafkaSpec.ColumnType.DOUBLE, "DOUBLE"),
            column("price", KafkaSpec.ColumnType.DECIMAL, "DECIMAL(6,2)"),
            column("name", KafkaSpec.ColumnType.VARCHAR, "VARCHAR"),
            column("day", KafkaSpec.ColumnType.DATE, "DATE"),
            column("at", KafkaSpec.ColumnType.TIMESTAMP, "TIMESTAMP"),
            column("tags", KafkaSpec.ColumnType.JSON, "JSON"));

    private static List<Object> row(String json) throws JsonRecords.Corrupt {
        return new JsonRecords(COLUMNS).row(json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonRecords.Corrupt corrupt(String json) {
        return catchThrowableOfType(JsonRecords.Corrupt.class, () -> row(json));
    }

    @Test
    void convertsEachFieldToItsColumnsType() throws Exception {
        assertThat(row("""
                {"ok": true, "tiny": 7, "small": "300", "user": {"id": 42}, "big": 9007199254740993, "ratio": 0.5,
                 "score": 1e3, "price": 12.345, "name": "ann", "day": "2026-03-01", "at": "2026-03-01T10:00:00",
                 "tags": ["a", {"b": 1}], "ignored": 1}""")).containsExactly(true, (byte) 7, (short) 300, 42,
                9007199254740993L, 0.5f, 1000.0, new BigDecimal("12.35"), "ann", LocalDate.of(2026, 3, 1),
                LocalDateTime.of(2026, 3, 1, 10, 0), "[\"a\",{\"b\":1}]");
    }

    @Test
    void absentAndNullFieldsAreNullAndLooseValuesAreRead() throws Exception {
        assertThat(row("{\"user\": null}")).containsOnlyNulls().hasSize(COLUMNS.size());
        assertThat(row("""
                {"ok": "FALSE", "score": "2.5", "name": 12, "price": "-3", "at": "2026-03-01 12:00:00+02:00"}"""))
                .isEqualTo(Arrays.asList(false, null, null, null, null, null, 2.5, new BigDecimal("-3.00"), "12",
                        null, LocalDateTime.of(2026, 3, 1, 10, 0), null));
        assertThat(row("{\"at\": 0, \"name\": {\"x\": true}}")).contains(LocalDateTime.of(1970, 1, 1, 0, 0),
                "{\"x\":true}");
        assertThat(row("{\"at\": \"2026-03-01T10:00:00Z\"}")).contains(LocalDateTime.of(2026, 3, 1, 10, 0));
    }

    @Test
    void recordsThatAreNoObjectOrHoldAWrongValueAreCorrupt() {
        assertThat(corrupt("{oops")).satisfies(c -> {
            assertThat(c.kind()).isEqualTo("INVALID_JSON");
            assertThat(c.column()).isNull();
            assertThat(c.getMessage()).startsWith("not JSON: ");
        });
        assertThat(corrupt("[1]").getMessage()).isEqualTo("the record is a JSON array, not a JSON object");
        assertThat(corrupt("").getMessage()).isEqualTo("the record is empty, not a JSON object");
        assertThat(catchThrowableOfType(JsonRecords.Corrupt.class, () -> new JsonRecords(COLUMNS).row(null))
                .kind()).isEqualTo("NULL_RECORD");
        assertThat(corrupt("{\"tiny\": 300}").getMessage()).isEqualTo("300 is not a TINYINT (column tiny)");
        assertThat(corrupt("{\"big\": 1.5}").getMessage()).isEqualTo("1.5 is not a BIGINT (column big)");
        assertThat(corrupt("{\"small\": \"x\"}").column()).isEqualTo("small");
        assertThat(corrupt("{\"ok\": 1}").column()).isEqualTo("ok");
        assertThat(corrupt("{\"ok\": \"yes\"}").column()).isEqualTo("ok");
        assertThat(corrupt("{\"price\": 12345.6}").getMessage()).isEqualTo("12345.6 is not a DECIMAL(6,2) (column "
                + "price)");
        assertThat(corrupt("{\"user\": {\"id\": [1]}}").column()).isEqualTo("user_id");
        assertThat(corrupt("{\"day\": 20260301}").column()).isEqualTo("day");
        assertThat(corrupt("{\"day\": \"March\"}").kind()).isEqualTo("CONVERSION");
        assertThat(corrupt("{\"at\": true}").column()).isEqualTo("at");
        assertThat(corrupt("{\"at\": \"later\"}").column()).isEqualTo("at");
        assertThat(corrupt("{\"name\": \"" + "x".repeat(200) + "\", \"tiny\": \"" + "9".repeat(200) + "\"}")
                .getMessage()).endsWith("... is not a TINYINT (column tiny)");
    }

    @Test
    void showsLongValuesCut() {
        assertThat(JsonRecords.shown(null)).isNull();
        assertThat(JsonRecords.shown("abc".getBytes(StandardCharsets.UTF_8))).isEqualTo("abc");
        assertThat(JsonRecords.shown("y".repeat(1200).getBytes(StandardCharsets.UTF_8))).hasSize(1003).endsWith("...");
    }
}
