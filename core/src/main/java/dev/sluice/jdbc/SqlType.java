package dev.sluice.jdbc;

import java.sql.Types;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An engine type name ({@code INTEGER}, {@code DECIMAL(18,3)}, {@code VARCHAR[]}) as JDBC describes a column: the
 * {@link Types} code, the Java class {@code getObject} returns, precision and scale. Immutable.
 *
 * @param name the engine's type name, as the warehouse reports it
 * @param code the {@link Types} constant
 * @param javaClass the class of {@code ResultSet.getObject}'s values
 * @param precision digits of a number, characters of text, 0 when unknown
 * @param scale digits after the point of a decimal, else 0
 */
record SqlType(String name, int code, Class<?> javaClass, int precision, int scale) {
    private static final Pattern DECIMAL = Pattern.compile("(?:DECIMAL|NUMERIC)\\((\\d+),\\s*(\\d+)\\)");

    /** The JDBC view of an engine type name; unknown and nested types are {@link Types#OTHER} read as text. */
    static SqlType of(String engineName) {
        String name = engineName == null || engineName.isBlank() ? "VARCHAR" : engineName.trim();
        String upper = name.toUpperCase(Locale.ROOT);
        Matcher decimal = DECIMAL.matcher(upper);
        if (decimal.matches()) {
            return new SqlType(name, Types.DECIMAL, java.math.BigDecimal.class, Integer.parseInt(decimal.group(1)),
                    Integer.parseInt(decimal.group(2)));
        }
        if (upper.endsWith("[]") || upper.startsWith("LIST") || upper.endsWith("]")) {
            return new SqlType(name, Types.ARRAY, java.util.List.class, 0, 0);
        }
        return switch (upper) {
            case "BOOLEAN", "BOOL" -> new SqlType(name, Types.BOOLEAN, Boolean.class, 1, 0);
            case "TINYINT", "INT1" -> new SqlType(name, Types.TINYINT, Byte.class, 3, 0);
            case "SMALLINT", "INT2", "UTINYINT" -> new SqlType(name, Types.SMALLINT, Short.class, 5, 0);
            case "INTEGER", "INT", "INT4", "USMALLINT" -> new SqlType(name, Types.INTEGER, Integer.class, 10, 0);
            case "BIGINT", "INT8", "UINTEGER" -> new SqlType(name, Types.BIGINT, Long.class, 19, 0);
            case "HUGEINT", "UBIGINT", "UHUGEINT" -> new SqlType(name, Types.NUMERIC, java.math.BigInteger.class, 39,
                    0);
            case "FLOAT", "REAL", "FLOAT4" -> new SqlType(name, Types.REAL, Float.class, 7, 0);
            case "DOUBLE", "FLOAT8" -> new SqlType(name, Types.DOUBLE, Double.class, 15, 0);
            case "DECIMAL", "NUMERIC" -> new SqlType(name, Types.DECIMAL, java.math.BigDecimal.class, 18, 3);
            case "DATE" -> new SqlType(name, Types.DATE, java.sql.Date.class, 10, 0);
            case "TIME" -> new SqlType(name, Types.TIME, java.sql.Time.class, 8, 0);
            case "TIMESTAMP", "DATETIME", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP_S" ->
                new SqlType(name, Types.TIMESTAMP, java.sql.Timestamp.class, 26, 0);
            case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" ->
                new SqlType(name, Types.TIMESTAMP_WITH_TIMEZONE, java.time.OffsetDateTime.class, 32, 0);
            case "BLOB", "BYTEA", "VARBINARY" -> new SqlType(name, Types.VARBINARY, byte[].class, 0, 0);
            case "VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR" -> new SqlType(name, Types.VARCHAR, String.class, 0, 0);
            default -> new SqlType(name, Types.OTHER, String.class, 0, 0);
        };
    }

    /** Whether a value of this type may be negative. */
    boolean signed() {
        return switch (code) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.NUMERIC, Types.DECIMAL, Types.REAL,
                    Types.DOUBLE -> !name.toUpperCase(Locale.ROOT).startsWith("U");
            default -> false;
        };
    }

    /** Characters a value takes when printed: what tools size their columns by. */
    int displaySize() {
        return switch (code) {
            case Types.BOOLEAN -> 5;
            case Types.DECIMAL, Types.NUMERIC -> precision + 2;
            case Types.REAL, Types.DOUBLE -> 24;
            case Types.VARCHAR, Types.OTHER, Types.ARRAY, Types.VARBINARY -> Integer.MAX_VALUE;
            default -> precision + 1;
        };
    }
}
