package dev.sluice.spark.cluster;

import dev.sluice.QueryResult;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark session that reads a Sluice project's lake as Iceberg's Hadoop catalog {@code lake} (the project's
 * {@code target/lake} folder: namespace = the model's schema, table = the model), as any Spark user with Iceberg's
 * runtime would, and the rows of Spark and of Sluice's warehouse in one comparable form.
 */
final class SparkLake {
    /** The catalog name the lake is registered under in the session. */
    static final String CATALOG = "lake";

    private SparkLake() {
    }

    /** A session on {@code master} whose catalog {@code lake} is the Hadoop catalog over {@code lakeFolder}. */
    static SparkSession session(String master, Path lakeFolder, Map<String, String> conf) {
        SparkSession.Builder builder = SparkSession.builder().master(master).appName("sluice-iceberg-reader")
                .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
                .config("spark.sql.catalog." + CATALOG, "org.apache.iceberg.spark.SparkCatalog")
                .config("spark.sql.catalog." + CATALOG + ".type", "hadoop")
                .config("spark.sql.catalog." + CATALOG + ".warehouse", lakeFolder.toAbsolutePath().toString())
                // java.time values (LocalDate, Instant), as Sluice's warehouse gives them, not java.sql's
                .config("spark.sql.datetime.java8API.enabled", "true")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1");
        conf.forEach(builder::config);
        return builder.getOrCreate();
    }

    /** Spark's rows, each value in the comparable form of {@link #value}, sorted. */
    static List<List<String>> rows(List<Row> rows) {
        List<List<String>> out = new ArrayList<>();
        for (Row row : rows) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < row.length(); i++) {
                values.add(value(row.get(i)));
            }
            out.add(values);
        }
        return sorted(out);
    }

    /** The warehouse's rows, each value in the comparable form of {@link #value}, sorted. */
    static List<List<String>> rows(QueryResult result) {
        List<List<String>> out = new ArrayList<>();
        for (List<Object> row : result.rows()) {
            out.add(row.stream().map(SparkLake::value).toList());
        }
        return sorted(out);
    }

    /**
     * One value as text both sides agree on when they hold the same value: integers of any width as a number,
     * decimals with their scale, instants in UTC, dates and local times in ISO form, bytes in hex.
     */
    static String value(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return Long.toString(((Number) value).longValue());
        }
        if (value instanceof java.math.BigInteger big) {
            return big.toString();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant().toString();
        }
        if (value instanceof ZonedDateTime time) {
            return time.toInstant().toString();
        }
        if (value instanceof Timestamp time) {
            return time.toInstant().toString();
        }
        if (value instanceof Instant instant) {
            return instant.toString();
        }
        if (value instanceof byte[] bytes) {
            StringBuilder hex = new StringBuilder();
            for (byte b : bytes) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        }
        return value.toString();
    }

    private static List<List<String>> sorted(List<List<String>> rows) {
        Comparator<List<String>> order = Comparator.comparing(row -> Arrays.toString(row.stream()
                .map(v -> Objects.toString(v, "\u0000null")).toArray()));
        return rows.stream().sorted(order).toList();
    }
}
