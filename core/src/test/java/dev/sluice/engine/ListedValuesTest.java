package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An engine whose appender takes rows as lists only (Spark's, a test double here) gets the primitive values of
 * {@link Appender#values()} as the same Java values {@link Appender#append} documents.
 */
class ListedValuesTest {
    @Test
    void valuesWrittenOneByOneReachAnAppenderOfListsAsPlainJavaValues() {
        List<List<?>> rows = new ArrayList<>();
        Appender appender = new Appender() {
            @Override
            public void append(List<?> row) {
                rows.add(List.copyOf(row.stream().map(value -> value == null ? "NULL" : value).toList()));
            }

            @Override
            public void close() {
            }
        };
        Appender.Values values = appender.values();
        values.nul();
        values.bool(true);
        values.int16((short) -2);
        values.int32(3);
        values.int64(4L);
        values.float32(1.5f);
        values.float64(-0.25);
        values.decimal(-1234, 6, 2);
        values.decimal(new BigDecimal("12345678901234567890.5"));
        values.text("héllo".getBytes(StandardCharsets.UTF_8));
        values.date(-1);
        values.timestamp(-1);
        values.uuid(1L, 2L);
        values.endRow();
        values.int32(7);
        values.endRow();

        assertThat(rows).containsExactly(List.of("NULL", true, (short) -2, 3, 4L, 1.5f, -0.25,
                new BigDecimal("-12.34"), new BigDecimal("12345678901234567890.5"), "héllo",
                LocalDate.of(1969, 12, 31), LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000),
                new UUID(1L, 2L)), List.of(7));
    }
}
