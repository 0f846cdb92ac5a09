package dev.sluice.connect.jdbc;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import dev.sluice.connect.jdbc.JdbcColumn.Read;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps a source's columns, as its driver describes them, to the warehouse's types. PostgreSQL's types are mapped by
 * name, converting in the source what the bulk loader cannot take (bytea as hex, json and arrays as JSON text,
 * timestamps with time zone as UTC); other databases by their JDBC type, anything unknown as text.
 */
final class JdbcTypes {
    /** The widest decimal the warehouse holds; numeric without precision gets {@link #UNBOUNDED_SCALE} digits after the point. */
    static final int MAX_PRECISION = 38;
    static final int UNBOUNDED_SCALE = 9;

    /** PostgreSQL array element types the warehouse holds as lists of the same type. */
    private static final Map<String, String> ARRAY_ELEMENTS = Map.ofEntries(Map.entry("_int2", "SMALLINT"),
            Map.entry("_int4", "INTEGER"), Map.entry("_int8", "BIGINT"), Map.entry("_float4", "FLOAT"),
            Map.entry("_float8", "DOUBLE"), Map.entry("_bool", "BOOLEAN"), Map.entry("_text", "VARCHAR"),
            Map.entry("_varchar", "VARCHAR"), Map.entry("_bpchar", "VARCHAR"), Map.entry("_uuid", "UUID"),
            Map.entry("_date", "DATE"), Map.entry("_timestamp", "TIMESTAMP"), Map.entry("_numeric", "DOUBLE"));

    private JdbcTypes() {
    }

    /** The columns of a result, read from its metadata; {@code postgres} maps PostgreSQL's types by name. */
    static List<JdbcColumn> columns(ResultSetMetaData metadata, boolean postgres, String quote) throws SQLException {
        List<JdbcColumn> columns = new ArrayList<>();
        for (int i = 1; i <= metadata.getColumnCount(); i++) {
            String name = metadata.getColumnLabel(i);
            String quoted = JdbcQuery.ALIAS + "." + quote + name.replace(quote, quote + quote) + quote;
            columns.add(postgres
                    ? postgres(name, quoted, metadata.getColumnTypeName(i).toLowerCase(Locale.ROOT),
                            metadata.getPrecision(i), metadata.getScale(i))
                    : generic(name, quoted, metadata.getColumnType(i), metadata.getPrecision(i), metadata.getScale(i)));
        }
        return columns;
    }

    static JdbcColumn postgres(String name, String quoted, String type, int precision, int scale) {
        String element = ARRAY_ELEMENTS.get(type);
        if (element != null) {
            return new JdbcColumn(name, "CAST(array_to_json(" + quoted + ") AS text)", Read.TEXT, "VARCHAR",
                    "CAST(CAST(%s AS JSON) AS " + element + "[])", element + "[]");
        }
        return switch (type) {
            case "bool" -> JdbcColumn.direct(name, quoted, Read.BOOLEAN, "BOOLEAN");
            case "int2" -> JdbcColumn.direct(name, quoted, Read.SHORT, "SMALLINT");
            case "int4", "serial" -> JdbcColumn.direct(name, quoted, Read.INT, "INTEGER");
            case "int8", "bigserial", "oid" -> JdbcColumn.direct(name, quoted, Read.LONG, "BIGINT");
            case "float4" -> JdbcColumn.direct(name, quoted, Read.FLOAT, "FLOAT");
            case "float8" -> JdbcColumn.direct(name, quoted, Read.DOUBLE, "DOUBLE");
            case "numeric" -> JdbcColumn.direct(name, quoted, decimalRead(precision, scale), decimal(precision, scale));
            case "text", "varchar", "bpchar", "name", "citext" -> JdbcColumn.direct(name, quoted, Read.TEXT, "VARCHAR");
            case "date" -> JdbcColumn.direct(name, quoted, Read.DATE, "DATE");
            case "timestamp" -> JdbcColumn.direct(name, quoted, Read.TIMESTAMP, "TIMESTAMP");
            // The instant in UTC, made a TIMESTAMPTZ again by the warehouse: the same instant whatever the zones.
            case "timestamptz" -> new JdbcColumn(name, "(" + quoted + " AT TIME ZONE 'UTC')", Read.TIMESTAMP,
                    "TIMESTAMP", "timezone('UTC', %s)", "TIMESTAMPTZ");
            case "uuid" -> JdbcColumn.direct(name, quoted, Read.UUID, "UUID");
            case "json", "jsonb" -> new JdbcColumn(name, "CAST(" + quoted + " AS text)", Read.TEXT, "VARCHAR",
                    "CAST(%s AS JSON)", "JSON");
            case "bytea" -> new JdbcColumn(name, "encode(" + quoted + ", 'hex')", Read.TEXT, "VARCHAR", "unhex(%s)",
                    "BLOB");
            // time, interval, inet, money, enums...: their text, as PostgreSQL writes it.
            default -> JdbcColumn.direct(name, "CAST(" + quoted + " AS text)", Read.TEXT, "VARCHAR");
        };
    }

    static JdbcColumn generic(String name, String quoted, int type, int precision, int scale) {
        return switch (type) {
            case Types.BOOLEAN, Types.BIT -> JdbcColumn.direct(name, quoted, Read.BOOLEAN, "BOOLEAN");
            case Types.TINYINT, Types.SMALLINT -> JdbcColumn.direct(name, quoted, Read.SHORT, "SMALLINT");
            case Types.INTEGER -> JdbcColumn.direct(name, quoted, Read.INT, "INTEGER");
            case Types.BIGINT -> JdbcColumn.direct(name, quoted, Read.LONG, "BIGINT");
            case Types.REAL -> JdbcColumn.direct(name, quoted, Read.FLOAT, "FLOAT");
            case Types.FLOAT, Types.DOUBLE -> JdbcColumn.direct(name, quoted, Read.DOUBLE, "DOUBLE");
            case Types.NUMERIC, Types.DECIMAL -> JdbcColumn.direct(name, quoted, decimalRead(precision, scale),
                    decimal(precision, scale));
            case Types.DATE -> JdbcColumn.direct(name, quoted, Read.DATE, "DATE");
            case Types.TIMESTAMP -> JdbcColumn.direct(name, quoted, Read.TIMESTAMP, "TIMESTAMP");
            default -> JdbcColumn.direct(name, quoted, Read.TEXT, "VARCHAR");
        };
    }

    /**
     * The warehouse decimal for a source's precision and scale: the same when it fits, else the widest with the
     * source's scale (or {@link #UNBOUNDED_SCALE} for numeric without precision); a value that does not fit fails
     * the load rather than being rounded.
     */
    static String decimal(int precision, int scale) {
        if (precision > 0 && precision <= MAX_PRECISION && scale >= 0 && scale <= precision) {
            return "DECIMAL(" + precision + "," + scale + ")";
        }
        int kept = precision > 0 && scale > 0 ? Math.min(scale, MAX_PRECISION) : UNBOUNDED_SCALE;
        return "DECIMAL(" + MAX_PRECISION + "," + kept + ")";
    }

    /** Values of the source's own precision and scale fit as they are; others are checked one by one. */
    static Read decimalRead(int precision, int scale) {
        return precision > 0 && precision <= MAX_PRECISION && scale >= 0 && scale <= precision ? Read.DECIMAL
                : Read.DECIMAL_CHECKED;
    }

    /** The scale of a {@code DECIMAL(p,s)} type. */
    static int scale(String decimal) {
        return Integer.parseInt(decimal.substring(decimal.indexOf(',') + 1, decimal.length() - 1));
    }

    /** The precision of a {@code DECIMAL(p,s)} type. */
    static int precision(String decimal) {
        return Integer.parseInt(decimal.substring(decimal.indexOf('(') + 1, decimal.indexOf(',')));
    }

    /** The value with the warehouse column's scale; a value that would lose digits fails the read. */
    static BigDecimal decimal(BigDecimal value, JdbcColumn column) {
        if (value == null) {
            return null;
        }
        int scale = JdbcTypes.scale(column.type());
        int precision = JdbcTypes.precision(column.type());
        BigDecimal exact;
        try {
            exact = value.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            exact = null;
        }
        if (exact == null || exact.precision() > precision) {
            throw new SluiceException(ErrorCode.SOURCE_INVALID, "column %s holds %s, which %s cannot hold exactly; "
                    + "give the column a precision and scale on the source (numeric(p,s), p at most %d), or read it "
                    + "with query: and a cast", column.name(), value.toPlainString(), column.type(),
                    JdbcTypes.MAX_PRECISION);
        }
        return exact;
    }
}
