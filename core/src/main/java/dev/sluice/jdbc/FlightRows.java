package dev.sluice.jdbc;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.Text;

/**
 * The rows of a query answered by a {@code sluice serve} process: its endpoints' Arrow batches read one at a time
 * (never more than one batch held), each value turned into the plain Java value the warehouse would have given.
 * Not thread-safe.
 */
final class FlightRows implements RowSource {
    /** Opens the stream of one endpoint. */
    interface Streams {
        FlightStream open(FlightEndpoint endpoint);
    }

    private final List<String> columns;
    private final List<SqlType> types;
    private final Iterator<FlightEndpoint> endpoints;
    private final Streams streams;
    private FlightStream stream;
    private int row;
    private int rows;

    FlightRows(Schema schema, List<FlightEndpoint> endpoints, Streams streams) {
        this.columns = schema.getFields().stream().map(Field::getName).toList();
        this.types = schema.getFields().stream().map(field -> SqlType.of(typeName(field.getType()))).toList();
        this.endpoints = endpoints.iterator();
        this.streams = streams;
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public List<SqlType> types() {
        return types;
    }

    @Override
    public boolean hasNext() {
        while (row >= rows) {
            if (stream != null && stream.next()) {
                row = 0;
                rows = stream.getRoot().getRowCount();
            } else if (endpoints.hasNext()) {
                closeStream();
                stream = streams.open(endpoints.next());
            } else {
                closeStream();
                return false;
            }
        }
        return true;
    }

    @Override
    public List<Object> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        VectorSchemaRoot root = stream.getRoot();
        List<Object> values = new ArrayList<>(columns.size());
        for (FieldVector vector : root.getFieldVectors()) {
            values.add(plain(vector.getField().getType(), vector.getObject(row)));
        }
        row++;
        return java.util.Collections.unmodifiableList(values);
    }

    @Override
    public void close() {
        closeStream();
    }

    private void closeStream() {
        if (stream != null) {
            try {
                stream.close();
            } catch (Exception e) {
                // a stream that cannot be closed cleanly has nothing more to give
            }
            stream = null;
        }
    }

    /** The engine type name a column of this Arrow type had on the server (see serve's ArrowTypes). */
    static String typeName(ArrowType type) {
        return switch (type.getTypeID()) {
            case Bool -> "BOOLEAN";
            case Int -> switch (((ArrowType.Int) type).getBitWidth()) {
                case 8 -> "TINYINT";
                case 16 -> "SMALLINT";
                case 32 -> "INTEGER";
                default -> "BIGINT";
            };
            case FloatingPoint -> ((ArrowType.FloatingPoint) type).getPrecision() == FloatingPointPrecision.SINGLE
                    ? "REAL" : "DOUBLE";
            case Decimal -> "DECIMAL(" + ((ArrowType.Decimal) type).getPrecision() + ","
                    + ((ArrowType.Decimal) type).getScale() + ")";
            case Date -> "DATE";
            case Timestamp -> ((ArrowType.Timestamp) type).getTimezone() == null ? "TIMESTAMP"
                    : "TIMESTAMP WITH TIME ZONE";
            case Binary, LargeBinary, FixedSizeBinary -> "BLOB";
            default -> "VARCHAR";
        };
    }

    /** A value as the warehouse gives it: text as String, dates as LocalDate, zoned timestamps as OffsetDateTime. */
    static Object plain(ArrowType type, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Text text) {
            return text.toString();
        }
        if (type instanceof ArrowType.Date && value instanceof Integer days) {
            return LocalDate.ofEpochDay(days);
        }
        if (type instanceof ArrowType.Timestamp timestamp && timestamp.getTimezone() != null
                && value instanceof Long micros) {
            return Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        }
        return value;
    }
}
