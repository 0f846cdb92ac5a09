package dev.sluice.connect.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.engine.Appender;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Engines;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staging file gives exactly the values the engine's bulk appender gave before it: the same records, converted by
 * {@link JsonRecords}, loaded both ways into tables of the same columns, compare equal value by value and type by
 * type (the engine's own comparison, both ways); and the file is gone after the load, and after a failed one.
 */
class StagingFileTest {
    @TempDir
    Path folder;

    private static KafkaSpec.Column column(String name, KafkaSpec.ColumnType type, String sqlType) {
        return new KafkaSpec.Column(name, type, sqlType, List.of(name));
    }

    private static final List<KafkaSpec.Column> COLUMNS = List.of(
            column("b", KafkaSpec.ColumnType.BOOLEAN, "BOOLEAN"),
            column("t", KafkaSpec.ColumnType.TINYINT, "TINYINT"),
            column("s", KafkaSpec.ColumnType.SMALLINT, "SMALLINT"),
            column("i", KafkaSpec.ColumnType.INTEGER, "INTEGER"),
            column("l", KafkaSpec.ColumnType.BIGINT, "BIGINT"),
            column("f", KafkaSpec.ColumnType.FLOAT, "FLOAT"),
            column("d", KafkaSpec.ColumnType.DOUBLE, "DOUBLE"),
            column("m", KafkaSpec.ColumnType.DECIMAL, "DECIMAL(38,9)"),
            column("v", KafkaSpec.ColumnType.VARCHAR, "VARCHAR"),
            column("j", KafkaSpec.ColumnType.JSON, "JSON"),
            column("dt", KafkaSpec.ColumnType.DATE, "DATE"),
            column("ts", KafkaSpec.ColumnType.TIMESTAMP, "TIMESTAMP"));

    private static final List<String> RECORDS = List.of(
            "{}",
            "{\"b\": true, \"t\": -128, \"s\": 32767, \"i\": -2147483648, \"l\": 9223372036854775807, \"f\": 0.1,"
                    + " \"d\": 0.1, \"m\": \"12345678901234567890123456789.123456789\", \"v\": \"\", \"j\": {},"
                    + " \"dt\": \"2026-01-02\", \"ts\": \"2026-01-02T10:00:00+02:00\"}",
            "{\"b\": \"FALSE\", \"t\": \"7\", \"i\": 1e3, \"l\": -1, \"f\": 3.4028235e38, \"d\": 1.7976931348623157e308,"
                    + " \"m\": -0.0000000005, \"v\": \"a \\\"quoted\\\", text\\nover two lines, with a comma\","
                    + " \"j\": {\"a\": [1, 2.50, \"x,\\\"y\\\"\"], \"b\": null, \"c\": \"é\"},"
                    + " \"dt\": \"1969-12-31\", \"ts\": 1767348000123}",
            "{\"f\": 1e-45, \"d\": 4.9e-324, \"m\": 1e-10, \"v\": 42.50, \"j\": [true, \"\"], \"ts\": \"1970-01-01 00:00\"}",
            "{\"f\": -0.0, \"d\": 123456789.123456789, \"m\": 0, \"v\": {\"nested\": \"\\\"\"}, \"j\": \"text\","
                    + " \"ts\": \"2026-06-30T23:59:59.999999Z\"}",
            "{\"d\": 1e22, \"v\": \"\\r\\n\\t\\u0000 end\", \"j\": 12, \"ts\": \"1900-03-04T05:06:07.000001\"}",
            "{\"v\": \"null\", \"ts\": \"2026-01-02T10:00:00.5-03:30\"}");

    @Test
    void loadsTheValuesTheAppenderLoaded() throws Exception {
        JsonRecords json = new JsonRecords(COLUMNS);
        List<List<Object>> rows = new ArrayList<>();
        for (String record : RECORDS) {
            rows.add(json.row(record.getBytes(StandardCharsets.UTF_8)));
        }
        try (Engine engine = Engines.factory("duckdb").open(EngineOptions.inMemory(List.of()));
                Session session = engine.session()) {
            List<String> columns = new ArrayList<>();
            COLUMNS.forEach(column -> columns.add(Sql.identifier(column.name()) + " " + column.sqlType()));
            columns.add(KafkaLoader.PARTITION + " INTEGER");
            columns.add(KafkaLoader.OFFSET + " BIGINT");
            session.execute("CREATE TABLE appended (" + String.join(", ", columns) + ")");
            session.execute("CREATE TABLE filed (" + String.join(", ", columns) + ")");
            try (Appender appender = session.appender("main", "appended")) {
                for (int i = 0; i < rows.size(); i++) {
                    List<Object> row = new ArrayList<>(rows.get(i));
                    row.add(i % 2);
                    row.add((long) i);
                    appender.append(row);
                }
            }
            Path written;
            try (StagingFile file = new StagingFile(folder.resolve("target/kafka"), COLUMNS)) {
                for (int i = 0; i < rows.size(); i++) {
                    file.add(rows.get(i), i % 2, i);
                }
                file.finish();
                written = file.file();
                assertThat(written).exists();
                session.execute("INSERT INTO filed SELECT " + file.columns() + " FROM " + file.read(session.dialect()));
            }
            assertThat(written).doesNotExist();

            assertThat(session.query("SELECT * FROM appended EXCEPT ALL SELECT * FROM filed").values()).isEmpty();
            assertThat(session.query("SELECT * FROM filed EXCEPT ALL SELECT * FROM appended").values()).isEmpty();
            String typed = "SELECT " + String.join(", ", COLUMNS.stream().map(column -> "typeof("
                    + Sql.identifier(column.name()) + "), " + Sql.identifier(column.name()) + "::VARCHAR").toList())
                    + ", " + KafkaLoader.PARTITION + ", " + KafkaLoader.OFFSET + " FROM %s ORDER BY "
                    + KafkaLoader.OFFSET;
            List<List<Object>> appended = session.query(typed.formatted("appended")).values();
            assertThat(session.query(typed.formatted("filed")).values()).isEqualTo(appended).hasSize(RECORDS.size());
            assertThat(session.query("SELECT count(*) FROM filed WHERE v = ''").single()).isEqualTo(1L);
            assertThat(session.query("SELECT count(*) FROM filed WHERE v IS NULL").single()).isEqualTo(1L);
        }
    }

    @Test
    void deletesTheFileOfAFailedLoad() {
        Path written;
        try (StagingFile file = new StagingFile(folder, COLUMNS)) {
            written = file.file();
            assertThat(written.getParent()).isEqualTo(folder);
        }
        assertThat(written).doesNotExist();
    }

    @Test
    void saysWhereItCannotWrite() throws Exception {
        Path blocked = Files.writeString(folder.resolve("a-file"), "not a folder");
        assertThatThrownBy(() -> new StagingFile(blocked.resolve("kafka"), COLUMNS))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("Cannot create a staging file in " + blocked.resolve("kafka"));
    }
}
