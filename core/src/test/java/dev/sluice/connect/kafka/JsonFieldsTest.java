package dev.sluice.connect.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming conversion writes exactly the staging line that {@link JsonRecords} and {@link StagingFile} write for
 * the same record, or declines it (and the tree then decides: the row, or the reject); never a line of its own for a
 * record the tree rejects. Checked on chosen records, and on 20,000 generated ones mixing every kind of value each
 * column type meets (valid, out of range, text for numbers, objects, duplicates, broken JSON) in random field orders.
 */
class JsonFieldsTest {
    @TempDir
    Path folder;

    private static KafkaSpec.Column column(String name, KafkaSpec.ColumnType type, String sqlType, String... path) {
        return new KafkaSpec.Column(name, type, sqlType, path.length == 0 ? List.of(name) : List.of(path));
    }

    private static final List<KafkaSpec.Column> COLUMNS = List.of(
            column("b", KafkaSpec.ColumnType.BOOLEAN, "BOOLEAN"),
            column("t", KafkaSpec.ColumnType.TINYINT, "TINYINT"),
            column("s", KafkaSpec.ColumnType.SMALLINT, "SMALLINT"),
            column("i", KafkaSpec.ColumnType.INTEGER, "INTEGER", "user", "id"),
            column("l", KafkaSpec.ColumnType.BIGINT, "BIGINT"),
            column("f", KafkaSpec.ColumnType.FLOAT, "FLOAT"),
            column("d", KafkaSpec.ColumnType.DOUBLE, "DOUBLE"),
            column("m", KafkaSpec.ColumnType.DECIMAL, "DECIMAL(10,2)"),
            column("v", KafkaSpec.ColumnType.VARCHAR, "VARCHAR"),
            column("j", KafkaSpec.ColumnType.JSON, "JSON"),
            column("dt", KafkaSpec.ColumnType.DATE, "DATE"),
            column("ts", KafkaSpec.ColumnType.TIMESTAMP, "TIMESTAMP"));

    /** What each path makes of one record: the line, or null when it declines (fields) or rejects it (tree). */
    private record Written(String fields, String tree) {
    }

    /** {@link #COLUMNS} and a text column of the field {@code user}, whose field {@code id} is a column too. */
    private static final List<KafkaSpec.Column> WITH_USER = java.util.stream.Stream.concat(COLUMNS.stream(),
            java.util.stream.Stream.of(column("u", KafkaSpec.ColumnType.VARCHAR, "VARCHAR", "user"))).toList();

    private List<Written> write(List<String> records) throws Exception {
        return write(COLUMNS, records);
    }

    private List<Written> write(List<KafkaSpec.Column> columns, List<String> records) throws Exception {
        JsonRecords json = new JsonRecords(columns);
        JsonFields fields = new JsonFields(columns);
        List<Written> written = new ArrayList<>();
        for (String record : records) {
            byte[] value = record.getBytes(StandardCharsets.UTF_8);
            String fast;
            try (StagingFile file = new StagingFile(folder, columns)) {
                fast = file.add(fields, value, 3, 7) ? read(file) : null;
            }
            String tree;
            try (StagingFile file = new StagingFile(folder, columns)) {
                List<Object> row;
                try {
                    row = json.row(value);
                } catch (JsonRecords.Corrupt corrupt) {
                    row = null;
                }
                if (row != null) {
                    file.add(row, 3, 7);
                }
                tree = row == null ? null : read(file);
            }
            written.add(new Written(fast, tree));
        }
        return written;
    }

    private static String read(StagingFile file) throws Exception {
        file.finish();
        return Files.readString(file.file());
    }

    @Test
    void writesTheTreesLineForCommonRecords() throws Exception {
        List<String> records = List.of(
                "{\"b\": true, \"t\": -128, \"s\": 32767, \"user\": {\"id\": -2147483648}, \"l\": 9223372036854775807,"
                        + " \"f\": 0.1, \"d\": 0.1, \"m\": 12.345, \"v\": \"a \\\"quoted\\\", text\\nover lines\","
                        + " \"dt\": \"2026-01-02\", \"ts\": \"2026-01-02T10:00:00\"}",
                "{\"ts\": \"2026-03-01 23:59:59.1234567\", \"m\": -0.005, \"f\": 3, \"d\": -7, \"v\": 42,"
                        + " \"extra\": {\"deep\": [1, {\"x\": null}]}, \"user\": {\"name\": \"x\", \"id\": 5}}",
                "{\"ts\": \"0001-01-01T00:00:00.000000999\", \"dt\": \"0000-02-29\", \"v\": \"\", \"b\": false,"
                        + " \"m\": 99999999.994, \"j\": null, \"user\": null}",
                "{\"ts\": \"2024-02-29T12:00:00.5\", \"v\": \"é \\u0000 ü\", \"l\": -0, \"d\": 1e308, \"f\": 1e-45}",
                "  {\"v\": true, \"user\": 12}  ",
                "{}");
        List<Written> written = write(records);
        for (int i = 0; i < records.size(); i++) {
            assertThat(written.get(i).fields()).as(records.get(i)).isNotNull()
                    .isEqualTo(written.get(i).tree());
        }
        assertThat(written.get(1).fields())
                .isEqualTo(",,,5,,3.0,-7.0,-0.01,\"42\",,,2026-03-01 23:59:59.123456,3,7\n");
    }

    @Test
    void declinesWhatOnlyTheTreeConvertsAndEveryRecordItRejects() throws Exception {
        List<String> records = List.of(
                "{\"t\": \"7\"}", "{\"b\": \"TRUE\"}", "{\"l\": 1.0}", "{\"ts\": 1767348000123}",
                "{\"ts\": \"2026-01-02T10:00:00Z\"}", "{\"ts\": \"2026-01-02T10:00\"}", "{\"j\": {\"a\": 1}}",
                "{\"v\": 1.50}", "{\"l\": 1, \"l\": 2}", "{\"user\": {\"id\": 1}, \"user\": {}}", "{\"a\": 1} {}",
                "{\"t\": 128}", "{\"m\": 123456789}", "{\"f\": 1e400}", "{\"m\": 1e400}", "{\"dt\": \"2026-02-30\"}",
                "{\"ts\": \"2026-01-02T24:00:00\"}", "{\"ts\": \"2026-01-02T10:00:00.\"}", "{\"user\": [1]}",
                "{\"l\": 99999999999999999999}", "[1]", "\"text\"", "", "{\"v\": \"unterminated}", "{\"v\": 1,}");
        List<Written> written = write(records);
        for (int i = 0; i < records.size(); i++) {
            assertThat(written.get(i).fields()).as(records.get(i)).isNull();
        }
        assertThat(new JsonFields(COLUMNS).append(null, new StringBuilder())).isFalse();
        // A column of a field that holds an object gets its JSON text, which the tree writes; a scalar there is
        // the column's value, and the column under it NULL.
        List<Written> user = write(WITH_USER, List.of("{\"user\": {\"id\": 1}}", "{\"user\": 12}"));
        assertThat(user.get(0).fields()).isNull();
        assertThat(user.get(1).fields()).isEqualTo(user.get(1).tree()).isEqualTo(",,,,,,,,,,,,\"12\",3,7\n");
    }

    @Test
    void neverWritesALineTheTreeWouldNotWrite() throws Exception {
        Random random = new Random(20261205);
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            records.add(record(random));
        }
        for (List<KafkaSpec.Column> columns : List.of(COLUMNS, WITH_USER)) {
            // As the staging writer does: the fast line, else the tree's row; against the tree's rows alone.
            JsonRecords json = new JsonRecords(columns);
            JsonFields fields = new JsonFields(columns);
            int fast = 0;
            try (StagingFile mixed = new StagingFile(folder, columns);
                    StagingFile tree = new StagingFile(folder, columns)) {
                for (int i = 0; i < records.size(); i++) {
                    byte[] value = records.get(i).getBytes(StandardCharsets.UTF_8);
                    boolean written = mixed.add(fields, value, 1, i);
                    List<Object> row;
                    try {
                        row = json.row(value);
                    } catch (JsonRecords.Corrupt corrupt) {
                        row = null;
                    }
                    assertThat(written && row == null).as("a rejected record written: " + records.get(i)).isFalse();
                    if (written) {
                        fast++;
                    } else if (row != null) {
                        mixed.add(row, 1, i);
                    }
                    if (row != null) {
                        tree.add(row, 1, i);
                    }
                }
                assertThat(read(mixed)).isEqualTo(read(tree));
            }
            if (columns == COLUMNS) {
                // The generator mixes in odd values: a good share still takes the fast path.
                assertThat(fast).isGreaterThan(2_000);
            }
        }
    }

    // Each pool: values the fast path converts first, then the odd ones (after the "|" marker).
    private static final String[] INTEGERS = {"0", "-0", "7", "-128", "127", "32767", "2147483647",
        "9223372036854775807", "|", "128", "-129", "32768", "2147483648", "-2147483649", "9223372036854775808",
        "1e3", "1.0", "1.5", "\"42\"", "\" 42 \"", "\"x\"", "true", "null", "{}", "[]"};
    private static final String[] FLOATS = {"0.1", "-0.0", "3", "12.345", "-0.005", "0.015", "0.025", "1e7",
        "99999999.994", "|", "1e308", "1e400", "-1e-400", "3.4028235e38", "3.5e38", "1e-45", "123456789.123456789",
        "99999999.995", "-99999999.995", "12345678901234567890", "\"1.5\"", "\"abc\"", "false", "null", "[1.5]"};
    private static final String[] TEXTS = {"\"\"", "\"plain\"", "\"a \\\"quote\\\" and, a comma\"",
        "\"line\\nbreak\\r\\n\"", "\"\\u00e9\\u0000\\ud83d\\ude00\"", "\"null\"", "42", "-0", "true",
        "|", "false", "null", "1.50", "1e2", "{\"k\": \"v\"}", "[1, \"two\"]", "9223372036854775808"};
    private static final String[] DATES = {"\"2026-01-02\"", "\"0000-02-29\"", "\"2024-02-29\"", "|",
        "\"1900-02-29\"", "\"2026-13-01\"", "\"2026-1-01\"", "\" 2026-01-02\"", "\"2026-01-02T00:00:00\"",
        "\"+2026-01-02\"", "20260102", "null", "{}"};
    private static final String[] TIMESTAMPS = {"\"2026-01-02T10:00:00\"", "\"2026-01-02 10:00:00\"",
        "\"2026-01-02T10:00:00.1\"", "\"2026-01-02T10:00:00.000001\"", "\"2026-01-02T10:00:00.0000009\"",
        "\"2026-01-02T10:00:00.123456789\"", "\"2024-02-29T23:59:59\"", "|", "\"2026-01-02T10:00:00.1234567891\"",
        "\"2026-01-02T10:00\"", "\"2026-01-02T23:59:60\"", "\"2026-01-02T24:00:00\"", "\"2026-02-29T10:00:00\"",
        "\"2026-01-02T10:00:00Z\"", "\"2026-01-02T10:00:00+02:00\"", "\"2026-01-02T10:00:00.\"",
        "\"2026-01-02t10:00:00\"", "\" 2026-01-02T10:00:00 \"", "1767348000123", "-1", "1.5", "null", "true"};
    private static final String[] BOOLEANS = {"true", "false", "|", "\"true\"", "\" FALSE \"", "1", "0", "null",
        "\"yes\""};

    /** A value of the pool: one of the first ones mostly, one after the marker about once in eight. */
    private static String pick(Random random, String[] values) {
        int marker = java.util.Arrays.asList(values).indexOf("|");
        return random.nextInt(8) > 0 ? values[random.nextInt(marker)]
                : values[marker + 1 + random.nextInt(values.length - marker - 1)];
    }

    /** A record of random fields (each column's field present or not, in random order), sometimes broken. */
    private static String record(Random random) {
        List<String> fields = new ArrayList<>();
        maybe(random, fields, "b", BOOLEANS);
        maybe(random, fields, "t", INTEGERS);
        maybe(random, fields, "s", INTEGERS);
        maybe(random, fields, "l", INTEGERS);
        maybe(random, fields, "f", FLOATS);
        maybe(random, fields, "d", FLOATS);
        maybe(random, fields, "m", FLOATS);
        maybe(random, fields, "v", TEXTS);
        maybe(random, fields, "dt", DATES);
        maybe(random, fields, "ts", TIMESTAMPS);
        if (random.nextInt(10) == 0) {
            maybe(random, fields, "j", new String[] {"null", "|", "1", "\"x\"", "{}"});
        }
        int user = random.nextInt(8);
        if (user < 4) {
            String id = pick(random, INTEGERS);
            fields.add("\"user\": {\"name\": \"n\", \"id\": " + id + (user == 0 ? ", \"id\": 1" : "") + "}");
        } else if (user == 4) {
            fields.add("\"user\": " + pick(random, TEXTS));
        }
        if (random.nextInt(4) == 0) {
            fields.add("\"extra\": {\"deep\": [1, {\"b\": true}, \"s\"], \"n\": null}");
        }
        if (random.nextInt(15) == 0 && !fields.isEmpty()) {
            fields.add(fields.get(random.nextInt(fields.size()))); // a repeated field
        }
        java.util.Collections.shuffle(fields, random);
        String record = "{" + String.join(", ", fields) + "}";
        return switch (random.nextInt(40)) {
            case 0 -> record.substring(0, record.length() - 1); // cut short
            case 1 -> record + " {}";
            case 2 -> "[" + record + "]";
            default -> record;
        };
    }

    private static void maybe(Random random, List<String> fields, String name, String[] values) {
        if (random.nextInt(3) > 0) {
            fields.add("\"" + name + "\": " + pick(random, values));
        }
    }
}
