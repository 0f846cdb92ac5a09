package dev.sluice.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.flight.sql.FlightSqlColumnMetadata;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Arrow type a column of the engine's type is sent as. Types Arrow has no plain equivalent for (lists, structs,
 * maps, intervals, UUIDs, times, blobs) are sent as their text, as {@code sluice query} prints them. Stateless.
 */
final class ArrowTypes {
    private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)");

    private ArrowTypes() {
    }

    /** The schema of columns {@code names} of engine types {@code types}, every field nullable. */
    static Schema schema(List<String> names, List<String> types) {
        List<Field> fields = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            fields.add(field(names.get(i), types.get(i)));
        }
        return new Schema(fields);
    }

    /** A nullable field of the engine's type {@code type}, which carries the type's own name for SQL clients. */
    static Field field(String name, String type) {
        Map<String, String> metadata = new FlightSqlColumnMetadata.Builder().typeName(type).build().getMetadataMap();
        return new Field(name, new FieldType(true, arrow(type), null, metadata), null);
    }

    /** The Arrow type of the engine's type name. */
    static ArrowType arrow(String type) {
        String upper = type == null ? "" : type.toUpperCase(Locale.ROOT).strip();
        Matcher decimal = DECIMAL.matcher(upper);
        if (decimal.matches()) {
            return new ArrowType.Decimal(Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)), 128);
        }
        return switch (upper) {
            case "BOOLEAN" -> ArrowType.Bool.INSTANCE;
            case "TINYINT" -> new ArrowType.Int(8, true);
            case "SMALLINT", "UTINYINT" -> new ArrowType.Int(16, true);
            case "INTEGER", "USMALLINT" -> new ArrowType.Int(32, true);
            case "BIGINT", "UINTEGER" -> new ArrowType.Int(64, true);
            case "HUGEINT" -> new ArrowType.Decimal(38, 0, 128);
            case "UBIGINT" -> new ArrowType.Decimal(20, 0, 128);
            case "FLOAT", "REAL" -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case "DOUBLE" -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case "DATE" -> new ArrowType.Date(DateUnit.DAY);
            case "TIMESTAMP" -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
            case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
            default -> ArrowType.Utf8.INSTANCE;
        };
    }
}
