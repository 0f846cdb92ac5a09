package dev.sluice.storage.iceberg;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The Iceberg type of each column of a model, and the type its values are written to Parquet as. Iceberg has fewer
 * types than DuckDB: small and unsigned integers are widened to the Iceberg integer that holds every value, UBIGINT
 * and HUGEINT become exact decimals, seconds and milliseconds timestamps become microsecond timestamps, and the
 * types Iceberg has no counterpart for (INTERVAL, TIME WITH TIME ZONE, ENUM, BIT) are written as their text. The
 * view over the table casts every such column back to the model's type, so Sluice reads what it built; readers that
 * are not Sluice read the Iceberg type. Nested types and nanosecond timestamps are refused with the fix.
 */
final class IcebergTypes {
    private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)");

    /**
     * A column of a model: its name, its DuckDB type, the type written to the data files and the Iceberg type.
     */
    record Column(String name, String type, String written, Type iceberg) {
        /** True when the files hold another type than the model's, which the view casts back. */
        boolean cast() {
            return !written.equals(type);
        }
    }

    private IcebergTypes() {
    }

    /** The columns of a relation of the session, mapped; {@code what} names the model and its file for errors. */
    static List<Column> columns(Session session, String relation, String what) {
        List<Column> columns = new ArrayList<>();
        for (List<Object> row : session.query("DESCRIBE " + relation).values()) {
            columns.add(column((String) row.get(0), (String) row.get(1), what));
        }
        return columns;
    }

    /** One column's mapping. */
    static Column column(String name, String type, String what) {
        String upper = type.toUpperCase(Locale.ROOT);
        Matcher decimal = DECIMAL.matcher(upper);
        if (decimal.matches()) {
            return new Column(name, type, type, Types.DecimalType.of(Integer.parseInt(decimal.group(1)),
                    Integer.parseInt(decimal.group(2))));
        }
        if (upper.startsWith("ENUM(")) {
            return new Column(name, type, "VARCHAR", Types.StringType.get());
        }
        return switch (upper) {
            case "BOOLEAN" -> new Column(name, type, type, Types.BooleanType.get());
            case "TINYINT", "SMALLINT", "UTINYINT", "USMALLINT", "INTEGER" ->
                    new Column(name, type, "INTEGER", Types.IntegerType.get());
            case "UINTEGER", "BIGINT" -> new Column(name, type, "BIGINT", Types.LongType.get());
            case "UBIGINT" -> new Column(name, type, "DECIMAL(20,0)", Types.DecimalType.of(20, 0));
            case "HUGEINT", "UHUGEINT" -> new Column(name, type, "DECIMAL(38,0)", Types.DecimalType.of(38, 0));
            case "FLOAT" -> new Column(name, type, type, Types.FloatType.get());
            case "DOUBLE" -> new Column(name, type, type, Types.DoubleType.get());
            case "VARCHAR" -> new Column(name, type, type, Types.StringType.get());
            case "BLOB" -> new Column(name, type, type, Types.BinaryType.get());
            case "UUID" -> new Column(name, type, type, Types.UUIDType.get());
            case "DATE" -> new Column(name, type, type, Types.DateType.get());
            case "TIME" -> new Column(name, type, type, Types.TimeType.get());
            case "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS" ->
                    new Column(name, type, "TIMESTAMP", Types.TimestampType.withoutZone());
            case "TIMESTAMP WITH TIME ZONE" -> new Column(name, type, type, Types.TimestampType.withZone());
            case "INTERVAL", "TIME WITH TIME ZONE", "BIT" -> new Column(name, type, "VARCHAR", Types.StringType.get());
            default -> throw new SluiceException(ErrorCode.RUN_FAILED, "Cannot write %s as an Iceberg table: column "
                    + "%s has type %s, which Sluice does not write to Iceberg (nested and nanosecond types are not "
                    + "mapped); cast it in the model (to VARCHAR, JSON or TIMESTAMP), or use storage: { format: "
                    + "parquet }", what, name, type);
        };
    }

    /** The Iceberg schema of the columns, all optional (DuckDB columns are nullable), ids from 1 in order. */
    static Schema schema(List<Column> columns) {
        List<Types.NestedField> fields = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            fields.add(Types.NestedField.optional(i + 1, columns.get(i).name(), columns.get(i).iceberg()));
        }
        return new Schema(fields);
    }

    /** The select list writing each column in its written type, under its own name. */
    static String written(List<Column> columns) {
        List<String> select = new ArrayList<>();
        for (Column column : columns) {
            String name = Sql.identifier(column.name());
            select.add(column.cast() ? "CAST(" + name + " AS " + column.written() + ") AS " + name : name);
        }
        return String.join(", ", select);
    }

    /** The select list reading the files back as the model's columns. */
    static String viewed(List<Column> columns) {
        List<String> select = new ArrayList<>();
        for (Column column : columns) {
            String name = Sql.identifier(column.name());
            select.add(column.cast() ? "CAST(" + name + " AS " + column.type() + ") AS " + name : name);
        }
        return String.join(", ", select);
    }

    /**
     * Refuses, before anything is written, HUGEINT and UHUGEINT values that do not fit DECIMAL(38,0) (the widest
     * Iceberg decimal): Sluice never writes a value rounded.
     */
    static void checkFits(Session session, String source, List<Column> columns, String what) {
        for (Column column : columns) {
            if (!column.written().equals("DECIMAL(38,0)") || column.type().equalsIgnoreCase("DECIMAL(38,0)")) {
                continue;
            }
            String name = Sql.identifier(column.name());
            long rows = session.query("SELECT count(*) FROM " + source + " WHERE " + name + " IS NOT NULL AND TRY_CAST("
                    + name + " AS DECIMAL(38,0)) IS NULL").singleLong();
            if (rows > 0) {
                throw new SluiceException(ErrorCode.RUN_FAILED, "Cannot write %s as an Iceberg table: column %s (%s) "
                        + "holds values beyond DECIMAL(38,0) in %d row(s), the widest exact number Iceberg stores; "
                        + "cast the column to VARCHAR in the model, or keep the model in the warehouse", what,
                        column.name(), column.type(), rows);
            }
        }
    }
}
