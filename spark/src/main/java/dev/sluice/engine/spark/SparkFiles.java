package dev.sluice.engine.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A file read ({@link SparkDialect#readFiles}) as a temporary view of the session: Spark's CSV, Parquet and JSON
 * readers with the options Sluice's connectors give (DuckDB's names: {@code header}, {@code delim}, {@code quote},
 * {@code escape}, {@code dateformat}, {@code columns}, {@code filename}, {@code union_by_name}), integers read as
 * BIGINT as DuckDB's sniffer reads them, and the lines a CSV read with declared columns cannot cast kept in the
 * temporary views {@code rejects_table} and {@code rejects_scan} instead of failing the read.
 */
final class SparkFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CORRUPT = "_sluice_corrupt_record";
    /** The column of the file each row of a CSV read keeping rejected lines came from. */
    private static final String FILE = "_sluice_file";

    private SparkFiles() {
    }

    /** Creates the view {@code name} of the read {@code spec} (JSON from {@link SparkDialect}) and returns its name. */
    static String view(SparkSqlSession session, String spec, String name) {
        JsonNode read;
        try {
            read = JSON.readTree(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> files = new ArrayList<>();
        read.get("files").forEach(file -> files.add(file.asText()));
        Map<String, String> options = new LinkedHashMap<>();
        read.get("options").forEach(option -> {
            String text = option.asText();
            int equals = text.indexOf('=');
            options.put(text.substring(0, equals).strip().toLowerCase(Locale.ROOT), text.substring(equals + 1).strip());
        });
        String format = read.get("format").asText();
        Dataset<Row> rows = switch (format) {
            case "CSV" -> csv(session, files, options);
            case "PARQUET" -> session.spark().read().option("mergeSchema", "true")
                    .parquet(files.toArray(String[]::new));
            case "JSON" -> session.spark().read().option("multiLine", "false").json(files.toArray(String[]::new));
            default -> throw new IllegalArgumentException("no reader for " + format);
        };
        if (!"CSV".equals(format) || !options.containsKey("columns")) {
            rows = widened(rows);
        }
        boolean filename = "true".equalsIgnoreCase(options.get("filename"));
        if (java.util.Arrays.asList(rows.columns()).contains(FILE)) {
            // the CSV read that keeps rejected lines named each line's file before caching (after it, Spark no
            // longer knows the file a row came from)
            rows = filename ? rows.withColumnRenamed(FILE, "filename") : rows.drop(FILE);
        } else if (filename) {
            rows = rows.withColumn("filename", path(functions.input_file_name()));
        }
        rows.createOrReplaceTempView(name);
        return name;
    }

    private static Dataset<Row> csv(SparkSqlSession session, List<String> files, Map<String, String> options) {
        DataFrameReader reader = session.spark().read().option("header", bool(options.getOrDefault("header", "true")))
                .option("mode", "PERMISSIVE");
        if (options.containsKey("delim")) {
            reader.option("sep", string(options.get("delim")));
        }
        if (options.containsKey("quote")) {
            reader.option("quote", string(options.get("quote")));
        }
        if (options.containsKey("escape")) {
            reader.option("escape", string(options.get("escape")));
        }
        if (options.containsKey("dateformat")) {
            reader.option("dateFormat", javaPattern(string(options.get("dateformat"))));
        }
        String[] paths = files.toArray(String[]::new);
        if (!options.containsKey("columns")) {
            return reader.option("inferSchema", "true").csv(paths);
        }
        StructType schema = new StructType();
        List<String> declared = SparkStatements.strings(options.get("columns"));
        for (int i = 0; i + 1 < declared.size(); i += 2) {
            schema = schema.add(declared.get(i), SparkTypes.sparkType(declared.get(i + 1)), true);
        }
        if (!options.containsKey("rejects_table")) {
            return reader.schema(schema).csv(paths);
        }
        Dataset<Row> all = session.cachedUntilClose(reader.schema(schema.add(CORRUPT, DataTypes.StringType, true))
                .option("columnNameOfCorruptRecord", CORRUPT).csv(paths)
                .withColumn(FILE, path(functions.input_file_name())));
        Dataset<Row> rejected = all.where(functions.col(CORRUPT).isNotNull());
        rejected.selectExpr("CAST(1 AS BIGINT) AS scan_id", "CAST(0 AS BIGINT) AS file_id",
                "CAST(NULL AS BIGINT) AS line", "CAST(NULL AS BIGINT) AS line_byte_position",
                "CAST(NULL AS BIGINT) AS byte_position", "CAST(NULL AS BIGINT) AS column_idx",
                "CAST(NULL AS STRING) AS column_name", "'CAST' AS error_type", CORRUPT + " AS csv_line",
                "'Could not convert the line to the declared column types' AS error_message")
                .createOrReplaceTempView(string(options.get("rejects_table")));
        session.spark().sql("SELECT CAST(1 AS BIGINT) AS scan_id, CAST(0 AS BIGINT) AS file_id, "
                + SparkStatements.literal(String.join(", ", files)) + " AS file_path")
                .createOrReplaceTempView(string(options.get("rejects_scan")));
        List<String> kept = new ArrayList<>();
        for (StructField field : schema.fields()) {
            kept.add(field.name());
        }
        kept.add(FILE);
        return all.where(functions.col(CORRUPT).isNull()).select(kept.stream().map(functions::col)
                .toArray(org.apache.spark.sql.Column[]::new));
    }

    /** The file a row was read from, as DuckDB names it: a path, not Spark's {@code file:} URI. */
    private static org.apache.spark.sql.Column path(org.apache.spark.sql.Column uri) {
        return functions.url_decode(functions.regexp_replace(uri, "^file:(//)?", ""));
    }

    /** Integers read as BIGINT, as DuckDB reads them: models and checks compare them as such. */
    private static Dataset<Row> widened(Dataset<Row> rows) {
        for (StructField field : rows.schema().fields()) {
            if (field.dataType().equals(DataTypes.IntegerType) || field.dataType().equals(DataTypes.ShortType)) {
                rows = rows.withColumn(field.name(), functions.col(field.name()).cast(DataTypes.LongType));
            }
        }
        return rows;
    }

    private static String bool(String value) {
        return String.valueOf(Boolean.parseBoolean(value.strip()));
    }

    private static String string(String literal) {
        List<String> strings = SparkStatements.strings(literal);
        return strings.isEmpty() ? literal : strings.get(0);
    }

    /** A strftime pattern ({@code %Y-%m-%d}) as a Java one. */
    private static String javaPattern(String strftime) {
        return strftime.replace("%Y", "yyyy").replace("%m", "MM").replace("%d", "dd").replace("%H", "HH")
                .replace("%M", "mm").replace("%S", "ss");
    }
}
