package dev.sluice.engine;

import java.math.BigDecimal;
import java.util.List;

/**
 * Loads rows into an existing table in bulk, far faster than INSERT statements (DuckDB's appender loads a million
 * rows in seconds, where batched prepared statements take minutes). Rows become visible when it is closed; a failed
 * appender loads nothing it has not flushed. Not thread-safe (and DuckDB's is confined to the thread that made it);
 * the session must not run another statement until it is closed.
 */
public interface Appender extends AutoCloseable {

    /**
     * Appends one row: a value per column of the table, in its column order, each null or a plain Java value
     * ({@link Boolean}, {@link Number}, {@link String}, {@link java.time.LocalDate}, {@link java.time.LocalDateTime}).
     */
    void append(List<?> row);

    /**
     * The same rows written value by value with primitives, without a Java object per value: what a reader that
     * decodes a wire format uses (PostgreSQL's binary COPY). The default collects each row into a list for
     * {@link #append}; an engine with a native loader writes the values straight into it.
     */
    default Values values() {
        return new ListedValues(this);
    }

    /** Flushes the rows appended so far and closes. */
    @Override
    void close();

    /**
     * The values of the rows, in column order, each row ended by {@link #endRow}. Each method takes the value of a
     * column of the matching type (decimals of precision ≤ 18 as their unscaled value at the column's scale; text as
     * UTF-8 bytes; dates as days and timestamps as microseconds since 1970-01-01, the engine's infinities as
     * {@code ±Integer.MAX_VALUE} and {@code ±Long.MAX_VALUE}).
     */
    interface Values {
        void nul();

        void bool(boolean value);

        void int16(short value);

        void int32(int value);

        void int64(long value);

        void float32(float value);

        void float64(double value);

        void decimal(long unscaled, int precision, int scale);

        void decimal(BigDecimal value);

        void text(byte[] utf8);

        void date(int epochDays);

        void timestamp(long epochMicros);

        void uuid(long mostSignificant, long leastSignificant);

        void endRow();
    }
}
