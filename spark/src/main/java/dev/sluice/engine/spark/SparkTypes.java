package dev.sluice.engine.spark;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/** Spark's types and values as Sluice's: DuckDB's type names (the names models and the catalog use), plain values. */
final class SparkTypes {
    private SparkTypes() {
    }

    /** The DuckDB name of a Spark type ({@code STRING} is {@code VARCHAR}, {@code TIMESTAMP_NTZ} {@code TIMESTAMP}). */
    static String sluiceName(DataType type) {
        if (type instanceof DecimalType decimal) {
            return "DECIMAL(" + decimal.precision() + "," + decimal.scale() + ")";
        }
        if (type instanceof ArrayType array) {
            return sluiceName(array.elementType()) + "[]";
        }
        String sql = type.sql().toUpperCase(Locale.ROOT);
        return switch (sql) {
            case "STRING" -> "VARCHAR";
            case "TIMESTAMP_NTZ" -> "TIMESTAMP";
            case "TIMESTAMP" -> "TIMESTAMP WITH TIME ZONE";
            case "INT" -> "INTEGER";
            case "FLOAT" -> "REAL";
            case "BINARY" -> "BLOB";
            default -> sql;
        };
    }

    /** The DuckDB name of an Iceberg type, as {@link #sluiceName(DataType)} names Spark's. */
    static String sluiceName(org.apache.iceberg.types.Type type) {
        return switch (type.typeId()) {
            case BOOLEAN -> "BOOLEAN";
            case INTEGER -> "INTEGER";
            case LONG -> "BIGINT";
            case FLOAT -> "REAL";
            case DOUBLE -> "DOUBLE";
            case DATE -> "DATE";
            case TIME -> "TIME";
            case TIMESTAMP -> ((org.apache.iceberg.types.Types.TimestampType) type).shouldAdjustToUTC()
                    ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
            case STRING, UUID -> "VARCHAR";
            case BINARY, FIXED -> "BLOB";
            case DECIMAL -> "DECIMAL(" + ((org.apache.iceberg.types.Types.DecimalType) type).precision() + ","
                    + ((org.apache.iceberg.types.Types.DecimalType) type).scale() + ")";
            case LIST -> sluiceName(type.asListType().elementType()) + "[]";
            default -> type.toString().toUpperCase(Locale.ROOT);
        };
    }

    /** The Spark type of a DuckDB type name (as a CSV source's {@code columns:} declare them). */
    static DataType sparkType(String sluiceName) {
        String name = sluiceName.strip().toUpperCase(Locale.ROOT);
        String ddl = switch (name) {
            case "VARCHAR", "TEXT", "STRING", "JSON", "UUID" -> "STRING";
            case "TIMESTAMP", "DATETIME", "TIMESTAMP_NTZ" -> "TIMESTAMP_NTZ";
            case "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE" -> "TIMESTAMP";
            case "HUGEINT" -> "DECIMAL(38,0)";
            case "UBIGINT" -> "DECIMAL(20,0)";
            case "UINTEGER" -> "BIGINT";
            case "REAL", "FLOAT4" -> "FLOAT";
            case "BLOB" -> "BINARY";
            default -> name.startsWith("VARCHAR(") ? "STRING" : name;
        };
        return DataType.fromDDL(ddl);
    }

    /** A value Spark returned as a plain Java value ({@link dev.sluice.engine.Rows}): lists for arrays. */
    static Object plain(Object value) {
        if (value instanceof scala.collection.Seq<?> seq) {
            List<Object> list = new ArrayList<>();
            scala.jdk.javaapi.CollectionConverters.asJava(seq).forEach(item -> list.add(plain(item)));
            return list;
        }
        if (value instanceof Instant instant) {
            return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate();
        }
        return value;
    }

    /** A row of Spark's as plain values. */
    static List<Object> plain(Row row) {
        List<Object> values = new ArrayList<>(row.length());
        for (int i = 0; i < row.length(); i++) {
            values.add(plain(row.get(i)));
        }
        return values;
    }

    /** {@code value} as Spark's external type for {@code type} (a long for BIGINT given an int, and so on). */
    static Object external(Object value, DataType type) {
        if (value == null) {
            return null;
        }
        if (type.equals(DataTypes.LongType)) {
            return ((Number) value).longValue();
        }
        if (type.equals(DataTypes.IntegerType)) {
            return ((Number) value).intValue();
        }
        if (type.equals(DataTypes.ShortType)) {
            return ((Number) value).shortValue();
        }
        if (type.equals(DataTypes.ByteType)) {
            return ((Number) value).byteValue();
        }
        if (type.equals(DataTypes.DoubleType)) {
            return ((Number) value).doubleValue();
        }
        if (type.equals(DataTypes.FloatType)) {
            return ((Number) value).floatValue();
        }
        if (type instanceof DecimalType) {
            return value instanceof BigDecimal decimal ? decimal : new BigDecimal(value.toString());
        }
        if (type.equals(DataTypes.StringType)) {
            return value.toString();
        }
        if (type.equals(DataTypes.DateType)) {
            return value instanceof LocalDate ? value : LocalDate.parse(value.toString());
        }
        if (type.equals(DataTypes.TimestampNTZType)) {
            return value instanceof LocalDateTime ? value : LocalDateTime.parse(value.toString().replace(' ', 'T'));
        }
        if (type.equals(DataTypes.TimestampType)) {
            LocalDateTime local = value instanceof LocalDateTime time ? time
                    : LocalDateTime.parse(value.toString().replace(' ', 'T'));
            return local.toInstant(ZoneOffset.UTC);
        }
        return value;
    }
}
