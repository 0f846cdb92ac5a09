package dev.sluice.connect.kafka;

import java.nio.file.Path;
import java.util.List;

/**
 * For {@code bench/run kafka-profile} only: the source's own record conversion ({@link JsonRecords} and the
 * {@link StagingFile}'s CSV lines) over values held in memory, for the benchmark's five columns, so that its CPU is
 * measured apart from the consumer's.
 */
public final class BenchJson {
    private static final List<KafkaSpec.Column> COLUMNS = List.of(
            new KafkaSpec.Column("id", KafkaSpec.ColumnType.BIGINT, "BIGINT", List.of("id")),
            new KafkaSpec.Column("user_id", KafkaSpec.ColumnType.INTEGER, "INTEGER", List.of("user", "id")),
            new KafkaSpec.Column("url", KafkaSpec.ColumnType.VARCHAR, "VARCHAR", List.of("url")),
            new KafkaSpec.Column("amount", KafkaSpec.ColumnType.DECIMAL, "DECIMAL(10,2)", List.of("amount")),
            new KafkaSpec.Column("clicked_at", KafkaSpec.ColumnType.TIMESTAMP, "TIMESTAMP", List.of("clicked_at")));

    private BenchJson() {
    }

    /**
     * Converts every value and writes it as a staging line to a file in {@code folder}; returns the file. With
     * {@code streaming}, as the load does (the streaming {@link JsonFields} first), else through the tree alone.
     */
    public static Path csv(List<byte[]> values, Path folder, boolean streaming) throws Exception {
        JsonRecords json = new JsonRecords(COLUMNS);
        JsonFields fields = new JsonFields(COLUMNS);
        StagingFile file = new StagingFile(folder, COLUMNS);
        long offset = 0;
        for (byte[] value : values) {
            if (!streaming || !file.add(fields, value, 0, offset)) {
                file.add(json.row(value), 0, offset);
            }
            offset++;
        }
        file.finish();
        return file.file();
    }

    /** The engine's read of a staging file written by {@link #csv}. */
    public static String readCsv(Path file) {
        return dev.sluice.engine.duckdb.DuckDbDialect.INSTANCE.readFiles(dev.sluice.engine.Dialect.FileFormat.CSV,
                dev.sluice.engine.Sql.string(file.toString()), List.of("header = false", "auto_detect = false",
                        "delim = ','", "quote = '\"'", "escape = '\"'", "nullstr = ''", "allow_quoted_nulls = false",
                        "columns = {'id': 'BIGINT', 'user_id': 'INTEGER', 'url': 'VARCHAR', 'amount': "
                                + "'DECIMAL(10,2)', 'clicked_at': 'TIMESTAMP', '_sluice_partition': 'INTEGER', "
                                + "'_sluice_offset': 'BIGINT'}"));
    }
}
