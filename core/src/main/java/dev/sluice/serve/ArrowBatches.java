package dev.sluice.serve;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.flight.BackpressureStrategy;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.Text;

/**
 * Sends rows to a Flight client in Arrow record batches of at most {@link #BATCH_ROWS} rows (the first of
 * {@link #FIRST_BATCH_ROWS}, so that the first rows arrive without waiting for a whole batch), waiting for the client
 * before each batch (gRPC would otherwise queue an unread result in memory): a result of any size is held one batch
 * at a time. Stateless.
 */
final class ArrowBatches {
    /** Rows per batch: large enough for throughput, small enough that a wide row's batch stays a few megabytes. */
    static final int BATCH_ROWS = 64 * 1024;
    /** Rows of the first batch: what a client shows first arrives after these, not after a whole batch. */
    static final int FIRST_BATCH_ROWS = 4 * 1024;
    /** How long a batch waits for a client that reads nothing before the stream is given up. */
    private static final long CLIENT_WAIT_MILLIS = 10 * 60 * 1000;

    private ArrowBatches() {
    }

    /** Streams {@code rows} (plain Java values, one per field of {@code schema}) and completes the stream. */
    static long send(Schema schema, Iterator<List<Object>> rows, BufferAllocator allocator,
            ServerStreamListener listener) {
        BackpressureStrategy backpressure = new BackpressureStrategy.CallbackBackpressureStrategy();
        backpressure.register(listener);
        long batches = 0;
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            listener.start(root);
            boolean first = true;
            while (first || rows.hasNext()) {
                first = false;
                root.allocateNew();
                int count = 0;
                int limit = batches == 0 ? FIRST_BATCH_ROWS : BATCH_ROWS;
                while (count < limit && rows.hasNext()) {
                    List<Object> row = rows.next();
                    for (int column = 0; column < row.size(); column++) {
                        set(root.getVector(column), count, row.get(column));
                    }
                    count++;
                }
                root.setRowCount(count);
                if (count == 0 && batches > 0) {
                    break;
                }
                if (!waitFor(backpressure)) {
                    return batches;
                }
                listener.putNext();
                batches++;
            }
            listener.completed();
            return batches;
        }
    }

    private static boolean waitFor(BackpressureStrategy backpressure) {
        BackpressureStrategy.WaitResult result = backpressure.waitForListener(CLIENT_WAIT_MILLIS);
        return switch (result) {
            case READY -> true;
            case CANCELLED -> false;
            case TIMEOUT, OTHER -> throw CallStatus.TIMED_OUT.withDescription("Cannot send the result: the client "
                    + "read nothing for " + CLIENT_WAIT_MILLIS / 1000 + " s; read the stream as it arrives")
                    .toRuntimeException();
        };
    }

    /** Writes one plain Java value (as the engine's cursors return them) into row {@code index} of a vector. */
    static void set(FieldVector vector, int index, Object value) {
        if (value == null) {
            vector.setNull(index);
            return;
        }
        if (vector instanceof VarCharVector text) {
            text.setSafe(index, String.valueOf(value).getBytes(StandardCharsets.UTF_8));
        } else if (vector instanceof BigIntVector big) {
            big.setSafe(index, ((Number) value).longValue());
        } else if (vector instanceof IntVector integer) {
            integer.setSafe(index, ((Number) value).intValue());
        } else if (vector instanceof SmallIntVector small) {
            small.setSafe(index, ((Number) value).shortValue());
        } else if (vector instanceof TinyIntVector tiny) {
            tiny.setSafe(index, ((Number) value).byteValue());
        } else if (vector instanceof Float8Vector real) {
            real.setSafe(index, ((Number) value).doubleValue());
        } else if (vector instanceof Float4Vector real) {
            real.setSafe(index, ((Number) value).floatValue());
        } else if (vector instanceof BitVector bit) {
            bit.setSafe(index, Boolean.TRUE.equals(value) ? 1 : 0);
        } else if (vector instanceof DecimalVector decimal) {
            decimal.setSafe(index, decimal(value).setScale(decimal.getScale(), RoundingMode.UNNECESSARY));
        } else if (vector instanceof DateDayVector date) {
            date.setSafe(index, (int) ((LocalDate) value).toEpochDay());
        } else if (vector instanceof TimeStampVector timestamp) {
            timestamp.setSafe(index, micros(value));
        } else if (vector instanceof VarBinaryVector binary) {
            binary.setSafe(index, (byte[]) value);
        } else {
            throw new IllegalStateException("no writer for Arrow vector " + vector.getClass().getSimpleName());
        }
    }

    private static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        return new BigDecimal(value.toString());
    }

    private static long micros(Object value) {
        Instant instant;
        if (value instanceof LocalDateTime local) {
            instant = local.toInstant(ZoneOffset.UTC);
        } else if (value instanceof OffsetDateTime offset) {
            instant = offset.toInstant();
        } else if (value instanceof ZonedDateTime zoned) {
            instant = zoned.toInstant();
        } else if (value instanceof Instant exact) {
            instant = exact;
        } else {
            throw new IllegalStateException("no timestamp in a " + value.getClass().getSimpleName());
        }
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    /** The first row of bound parameters as the plain Java values the engine binds. */
    static Object[] firstRow(VectorSchemaRoot root) {
        Object[] values = new Object[root.getFieldVectors().size()];
        for (int i = 0; i < values.length; i++) {
            FieldVector vector = root.getVector(i);
            Object value = vector.getObject(0);
            if (value instanceof Text text) {
                value = text.toString();
            } else if (vector instanceof DateDayVector && value instanceof Integer days) {
                value = java.time.LocalDate.ofEpochDay(days);
            }
            values[i] = value;
        }
        return values;
    }
}
