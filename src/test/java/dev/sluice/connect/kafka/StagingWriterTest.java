package dev.sluice.connect.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.engine.Appender;
import dev.sluice.engine.Cursor;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The staging writer's thread: rows arrive in order, in chunks, and a failing appender stops the read. */
class StagingWriterTest {

    /** A session whose appenders keep rows in a list, or fail after {@code failAfter} rows. */
    private static final class FakeSession implements Session {
        final List<List<?>> rows = Collections.synchronizedList(new ArrayList<>());
        final int failAfter;
        int appenders;

        FakeSession(int failAfter) {
            this.failAfter = failAfter;
        }

        @Override
        public Appender appender(String schema, String table) {
            appenders++;
            return new Appender() {
                @Override
                public void append(List<?> row) {
                    if (rows.size() >= failAfter) {
                        throw new IllegalStateException("disk full after " + failAfter + " rows");
                    }
                    rows.add(row);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public Dialect dialect() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void execute(String sql, Object... parameters) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Rows query(String sql, Object... parameters) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Cursor stream(String sql, Object... parameters) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void begin() {
        }

        @Override
        public void commit() {
        }

        @Override
        public void rollback() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void appendsEveryRowInOrderReopeningTheAppenderEveryChunk() {
        FakeSession session = new FakeSession(Integer.MAX_VALUE);
        int count = KafkaLoader.CHUNK + 10_001;
        try (StagingWriter writer = new StagingWriter(session, "t", "clicks")) {
            for (long i = 0; i < count; i++) {
                writer.add(List.of(i));
            }
            writer.finish();
        }
        assertThat(session.rows).hasSize(count);
        assertThat(session.rows.get(count - 1)).isEqualTo(List.of((long) count - 1));
        assertThat(session.appenders).isEqualTo(2);
    }

    @Test
    void aFailingAppenderFailsTheReadWithItsCause() {
        FakeSession session = new FakeSession(5000);
        assertThatThrownBy(() -> {
            try (StagingWriter writer = new StagingWriter(session, "t", "clicks")) {
                for (long i = 0; i < 1_000_000; i++) {
                    writer.add(List.of(i));
                }
                writer.finish();
            }
        }).isInstanceOf(IllegalStateException.class).hasMessage("disk full after 5000 rows");
    }

    @Test
    void aReadThatFailsStopsTheWriter() {
        FakeSession session = new FakeSession(Integer.MAX_VALUE);
        StagingWriter writer = new StagingWriter(session, "t", "clicks");
        for (long i = 0; i < 10_000; i++) {
            writer.add(List.of(i));
        }
        writer.close();
        writer.close();
        assertThat(session.rows.size()).isLessThanOrEqualTo(10_000);
    }
}
