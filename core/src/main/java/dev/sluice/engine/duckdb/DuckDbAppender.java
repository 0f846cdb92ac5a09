package dev.sluice.engine.duckdb;

import dev.sluice.engine.Appender;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import org.duckdb.DuckDBAppender;

/** Rows loaded through DuckDB's native appender. */
final class DuckDbAppender implements Appender {
    private final DuckDBAppender appender;

    DuckDbAppender(DuckDBAppender appender) {
        this.appender = appender;
    }

    @Override
    public void append(List<?> row) {
        try {
            appender.beginRow();
            for (Object value : row) {
                put(value);
            }
            appender.endRow();
        } catch (SQLException e) {
            throw DuckDbSession.failure(e);
        }
    }

    private void put(Object value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else if (value instanceof Boolean bool) {
            appender.append(bool);
        } else if (value instanceof Integer number) {
            appender.append(number);
        } else if (value instanceof Long number) {
            appender.append(number);
        } else if (value instanceof Short number) {
            appender.append(number);
        } else if (value instanceof Byte number) {
            appender.append(number);
        } else if (value instanceof Double number) {
            appender.append(number);
        } else if (value instanceof Float number) {
            appender.append(number);
        } else if (value instanceof BigDecimal number) {
            appender.append(number);
        } else if (value instanceof BigInteger number) {
            appender.append(number);
        } else if (value instanceof String text) {
            appender.append(text);
        } else if (value instanceof LocalDateTime time) {
            appender.append(time);
        } else if (value instanceof LocalDate date) {
            appender.append(date);
        } else if (value instanceof UUID uuid) {
            appender.append(uuid);
        } else {
            throw new IllegalArgumentException("Cannot append a " + value.getClass().getSimpleName()
                    + ": the appender takes null, booleans, numbers, text, dates, timestamps and UUIDs");
        }
    }

    @Override
    public void close() {
        try {
            appender.close();
        } catch (SQLException e) {
            throw DuckDbSession.failure(e);
        }
    }
}
