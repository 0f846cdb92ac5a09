package dev.sluice.engine.spark;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.connect.NativeReads;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * A JDBC source's planned read ({@link NativeReads.JdbcRead}) through Spark's JDBC reader: each query of the plan
 * (a range of a partitioned read) is a Spark read of its own, their union one task per range, each on its own
 * connection of an executor, so the rows never pass through the driver. The columns then get their final types in
 * Spark SQL: decimals read with their declared precision (a decimal sent as text is checked to lose no digit, as the
 * DuckDB path checks it), instants made TIMESTAMP (with time zone) from their UTC time, lists parsed from their JSON
 * text, bytes from hexadecimal. Stateless.
 */
final class SparkJdbc {
    private SparkJdbc() {
    }

    /** Creates the temporary view {@code view} of {@code spark} over the read. */
    static void view(SparkSession spark, NativeReads.JdbcRead read, String view) {
        Properties properties = new Properties();
        properties.putAll(read.properties());
        properties.put("fetchsize", String.valueOf(read.fetchSize()));
        // A timestamp without time zone stays one (Spark's default reads it as an instant in the session's zone)
        properties.put("preferTimestampNTZ", "true");
        String schema = customSchema(read.columns());
        if (!schema.isEmpty()) {
            properties.put("customSchema", schema);
        }
        Dataset<Row> rows = null;
        try {
            for (String query : read.queries()) {
                Dataset<Row> range = spark.read().jdbc(read.url(), "(" + query + ") AS sluice_read", properties);
                rows = rows == null ? range : rows.unionAll(range);
            }
        } catch (Exception e) {
            throw new SluiceException(ErrorCode.RUN_FAILED, "cannot read %s through Spark's JDBC reader: %s; check "
                    + "url:, table: or query: in sluice.yml, and that the database is reachable from Spark's "
                    + "executors", read.source(), SparkFailures.message(e));
        }
        List<String> finished = new ArrayList<>();
        for (NativeReads.JdbcColumn column : read.columns()) {
            finished.add(finish(column) + " AS " + quoted(column.name()));
        }
        rows.selectExpr(finished.toArray(String[]::new)).createOrReplaceTempView(view);
    }

    /**
     * Spark's {@code customSchema} of the read: decimals with the precision Sluice chose (Spark's own mapping gives
     * an unbounded numeric 38,18), and decimals sent as text read as text.
     */
    static String customSchema(List<NativeReads.JdbcColumn> columns) {
        List<String> declared = new ArrayList<>();
        for (NativeReads.JdbcColumn column : columns) {
            if (column.sent() == NativeReads.Sent.DECIMAL_TEXT) {
                declared.add(quoted(column.name()) + " STRING");
            } else if (column.sent() == NativeReads.Sent.VALUE
                    && SparkTypes.sparkType(column.type()) instanceof DecimalType decimal) {
                declared.add(quoted(column.name()) + " " + decimal.sql());
            }
        }
        return String.join(", ", declared);
    }

    /** The Spark SQL expression giving the column's final value from what the query sent. */
    static String finish(NativeReads.JdbcColumn column) {
        String name = quoted(column.name());
        String type = column.type();
        return switch (column.sent()) {
            case VALUE -> "CAST(" + name + " AS " + sql(SparkTypes.sparkType(type)) + ")";
            // the UTC wall time, read in the session's time zone (UTC): the instant
            case UTC_TIMESTAMP -> "CAST(" + name + " AS TIMESTAMP_LTZ)";
            case HEX_TEXT -> "unhex(" + name + ")";
            case JSON_TEXT -> type.endsWith("[]") ? "from_json(" + name + ", " + SparkStatements.literal(
                    DataTypes.createArrayType(SparkTypes.sparkType(type.substring(0, type.length() - 2))).sql())
                    + ")" : name;
            case DECIMAL_TEXT -> checkedDecimal(column.name(), (DecimalType) SparkTypes.sparkType(type));
        };
    }

    /**
     * A decimal's text as the decimal type, failing the read (Spark's {@code raise_error}) for a value that would
     * lose a digit: Spark's casts round where the DuckDB path refuses.
     */
    private static String checkedDecimal(String column, DecimalType decimal) {
        String name = quoted(column);
        int whole = Math.max(1, decimal.precision() - decimal.scale());
        String exact = "^-?[0-9]{1," + whole + "}(\\\\.[0-9]{0," + decimal.scale() + "}0*)?$";
        String cannot = "Cannot read column " + column + ": it holds ";
        String fix = ", which " + decimal.sql() + " cannot hold exactly; give the column a precision and scale on the "
                + "source (numeric(p,s), p at most 38), or read it with query: and a cast";
        return "CASE WHEN " + name + " IS NULL THEN NULL WHEN " + name + " RLIKE '" + exact + "' THEN CAST(" + name
                + " AS " + decimal.sql() + ") ELSE raise_error(concat(" + SparkStatements.literal(cannot) + ", " + name
                + ", " + SparkStatements.literal(fix) + ")) END";
    }

    /** A type's name in Spark SQL: {@code TIMESTAMP} names TIMESTAMP_NTZ in Sluice's sessions, so an instant is LTZ. */
    private static String sql(DataType type) {
        return type.equals(DataTypes.TimestampType) ? "TIMESTAMP_LTZ" : type.sql();
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
