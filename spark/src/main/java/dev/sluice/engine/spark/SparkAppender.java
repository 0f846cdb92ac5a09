package dev.sluice.engine.spark;

import dev.sluice.engine.Appender;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Bulk loads into a table as Iceberg appends of {@value #BATCH} rows each (one commit per batch): rows are held on
 * the driver until then, converted to the table's column types.
 */
final class SparkAppender implements Appender {
    static final int BATCH = 100_000;

    private final SparkSession spark;
    private final String table;
    private final StructType schema;
    private final List<Row> rows = new ArrayList<>();

    SparkAppender(SparkSession spark, String table, StructType schema) {
        this.spark = spark;
        this.table = table;
        this.schema = schema;
    }

    @Override
    public void append(List<?> row) {
        StructField[] fields = schema.fields();
        if (row.size() != fields.length) {
            throw new IllegalArgumentException("a row of " + row.size() + " values for the " + fields.length
                    + " columns of " + table);
        }
        Object[] values = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            values[i] = SparkTypes.external(row.get(i), fields[i].dataType());
        }
        rows.add(RowFactory.create(values));
        if (rows.size() >= BATCH) {
            flush();
        }
    }

    private void flush() {
        if (rows.isEmpty()) {
            return;
        }
        try {
            spark.createDataFrame(rows, schema).writeTo(table).append();
        } catch (Exception e) {
            throw SparkFailures.failure(e, "append to " + table);
        }
        rows.clear();
    }

    @Override
    public void close() {
        flush();
    }
}
