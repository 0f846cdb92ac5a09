package dev.sluice.connect.kafka;

import dev.sluice.engine.Dialect;
import dev.sluice.engine.Sql;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The slice's valid records as lines of a temporary CSV file, their values already checked and converted by
 * {@link JsonRecords} and written in a text form that casts back to exactly the same value (numbers as Java prints
 * them, which round-trip; decimals plain; timestamps with microseconds; text always quoted so an empty text is not
 * NULL), followed by the record's partition and offset. The engine then reads the whole file with its own parallel
 * CSV reader in the statement that appends the rows to the source's table: measured, cheaper than the engine's bulk
 * appender (one native call per value) into a staging table. Memory stays bounded (a buffered stream); the file holds only the
 * records' declared columns (no consumer setting, so no secret) and is deleted by {@link #close}, whatever happened.
 * Not thread-safe; one per load.
 */
final class StagingFile implements AutoCloseable {
    private final List<KafkaSpec.Column> columns;
    private final Path file;
    private final Writer out;
    private final StringBuilder line = new StringBuilder(256);
    private boolean open = true;

    StagingFile(Path folder, List<KafkaSpec.Column> columns) {
        this.columns = List.copyOf(columns);
        try {
            Files.createDirectories(folder);
            file = Files.createTempFile(folder, "staging-", ".csv");
            out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8),
                    1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a staging file in " + folder + ": " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    /** Writes one record: the declared columns' values (in column order, from {@link JsonRecords#row}), then its tags. */
    void add(List<Object> values, int partition, long offset) {
        line.setLength(0);
        for (int i = 0; i < columns.size(); i++) {
            write(columns.get(i).type(), values.get(i));
            line.append(',');
        }
        line.append(partition).append(',').append(offset).append('\n');
        try {
            out.append(line);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the staging file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes one record straight from its JSON value when {@code fields} can ({@link JsonFields#append}); returns
     * false, writing nothing, when the record needs {@link JsonRecords#row} and {@link #add(List, int, long)}.
     */
    boolean add(JsonFields fields, byte[] value, int partition, long offset) {
        line.setLength(0);
        if (!fields.append(value, line)) {
            return false;
        }
        line.append(partition).append(',').append(offset).append('\n');
        try {
            out.append(line);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the staging file " + file + ": " + e.getMessage(), e);
        }
        return true;
    }

    private void write(KafkaSpec.ColumnType type, Object value) {
        if (value == null) {
            return; // an unquoted empty field: NULL
        }
        switch (type) {
            case BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, FLOAT, DOUBLE, DATE -> line.append(value);
            case DECIMAL -> line.append(((BigDecimal) value).toPlainString());
            case TIMESTAMP -> timestamp((LocalDateTime) value);
            case VARCHAR, JSON -> {
                String text = (String) value;
                line.append('"');
                if (text.indexOf('"') < 0) {
                    line.append(text);
                } else {
                    line.append(text.replace("\"", "\"\""));
                }
                line.append('"');
            }
        }
    }

    /** {@code 2026-01-02 10:00:00.123456}: the engine keeps microseconds, as its appender does. */
    private void timestamp(LocalDateTime time) {
        line.append(time.toLocalDate()).append(' ');
        two(time.getHour()).append(':');
        two(time.getMinute()).append(':');
        two(time.getSecond());
        int micros = time.getNano() / 1000;
        if (micros != 0) {
            String digits = Integer.toString(micros);
            line.append('.').append("000000", digits.length(), 6).append(digits);
        }
    }

    private StringBuilder two(int value) {
        return line.append(value < 10 ? "0" : "").append(value);
    }

    /** Flushes and closes the file, ready to be read. */
    void finish() {
        if (open) {
            open = false;
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the staging file " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** The table expression reading the finished file, JSON columns as text (see {@link #columns}). */
    String read(Dialect dialect) {
        List<String> types = new ArrayList<>();
        for (KafkaSpec.Column column : columns) {
            String type = column.type() == KafkaSpec.ColumnType.JSON ? "VARCHAR" : column.sqlType();
            types.add(Sql.string(column.name()) + ": " + Sql.string(type));
        }
        types.add(Sql.string(KafkaLoader.PARTITION) + ": 'INTEGER'");
        types.add(Sql.string(KafkaLoader.OFFSET) + ": 'BIGINT'");
        return dialect.readFiles(Dialect.FileFormat.CSV, Sql.string(file.toString()), List.of("header = false",
                "auto_detect = false", "delim = ','", "quote = '\"'", "escape = '\"'", "nullstr = ''",
                "allow_quoted_nulls = false", "max_line_size = 67108864", "columns = {" + String.join(", ", types)
                        + "}"));
    }

    /**
     * The select list giving the staging table's columns from {@link #read}'s (or from the staging table): JSON
     * columns are read as text and cast here, as the staging table's column cast the appender's text.
     */
    String columns() {
        List<String> select = new ArrayList<>();
        for (KafkaSpec.Column column : columns) {
            String name = Sql.identifier(column.name());
            select.add(column.type() == KafkaSpec.ColumnType.JSON ? "CAST(" + name + " AS JSON) AS " + name : name);
        }
        select.add(KafkaLoader.PARTITION);
        select.add(KafkaLoader.OFFSET);
        return String.join(", ", select);
    }

    /** Closes and deletes the file (after a successful read, and after a failed one alike). */
    @Override
    public void close() {
        try {
            if (open) {
                open = false;
                out.close();
            }
        } catch (IOException e) {
            // The file is deleted below: a failed close loses nothing anyone reads.
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit();
            }
        }
    }
}
