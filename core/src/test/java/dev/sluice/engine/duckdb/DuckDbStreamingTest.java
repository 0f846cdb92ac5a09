package dev.sluice.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceException;
import dev.sluice.engine.Appender;
import dev.sluice.engine.Cursor;
import dev.sluice.engine.Session;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class DuckDbStreamingTest {

    @Test
    void aCursorReadsRowsOneAtATimeAsPlainValues() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            long sum = 0;
            long count = 0;
            try (Cursor cursor = session.stream("SELECT range AS n, DATE '2024-01-01' + range::INT AS d "
                    + "FROM range(?) ORDER BY n", 100_000)) {
                assertThat(cursor.columns()).containsExactly("n", "d");
                while (cursor.hasNext()) {
                    List<Object> row = cursor.next();
                    assertThat(row.get(1)).isInstanceOf(LocalDate.class);
                    sum += (Long) row.get(0);
                    count++;
                }
                assertThat(cursor.hasNext()).isFalse();
                assertThatThrownBy(cursor::next).isInstanceOf(NoSuchElementException.class)
                        .hasMessage("the cursor has no more rows");
            }
            assertThat(count).isEqualTo(100_000);
            assertThat(sum).isEqualTo(99_999L * 100_000 / 2);
            // the session is free again once the cursor is closed
            assertThat(session.query("SELECT 1").singleLong()).isEqualTo(1);
            assertThatThrownBy(() -> session.stream("SELECT nope")).isInstanceOf(SluiceException.class)
                    .hasMessageContaining("nope");
        }
    }

    @Test
    void anAppenderLoadsRowsInBulk() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            session.execute("CREATE SCHEMA raw");
            session.execute("CREATE TABLE raw.t (id BIGINT, name VARCHAR, ok BOOLEAN, amount DECIMAL(10,2), "
                    + "day DATE, seen TIMESTAMP, ratio DOUBLE, small INTEGER)");
            try (Appender appender = session.appender("raw", "t")) {
                for (long i = 0; i < 10_000; i++) {
                    appender.append(List.of(i, "n" + i, i % 2 == 0, new BigDecimal("1.25"), LocalDate.of(2024, 1, 1),
                            LocalDateTime.of(2024, 1, 1, 0, 0), 0.5d, 7));
                }
                appender.append(Arrays.asList(null, null, null, null, null, null, null, null));
            }
            assertThat(session.query("SELECT count(*), count(id), CAST(sum(small) AS BIGINT), min(name) FROM raw.t").values().get(0))
                    .containsExactly(10_001L, 10_000L, 70_000L, "n0");
            Appender refusing = session.appender("raw", "t");
            assertThatThrownBy(() -> refusing.append(List.of(new Object())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Cannot append a Object: the appender takes null, booleans, numbers, text, dates, "
                            + "timestamps and UUIDs");
            // the refused row was never ended: closing loads nothing of it
            refusing.close();
            assertThat(session.query("SELECT count(*) FROM raw.t").singleLong()).isEqualTo(10_001);
            assertThatThrownBy(() -> session.appender("raw", "missing")).isInstanceOf(SluiceException.class)
                    .hasMessageContaining("missing");
        }
    }
}
