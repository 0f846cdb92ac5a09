package dev.sluice.connect.jdbc;

import static java.util.Objects.requireNonNull;

import dev.sluice.connect.Retries;
import dev.sluice.project.SourceSpec;
import java.util.List;

/**
 * The settings of a {@code type: jdbc} source: a table or a query of a database reached through JDBC, read whole,
 * above a watermark or by row hashes, in one stream or in {@code partitions} ranges of a numeric column.
 *
 * @param url the JDBC URL ({@code jdbc:postgresql://host:port/db}); may hold secrets from the environment
 * @param user the user, or null for the driver's default
 * @param password the password, or null; only ever from {@code ${env:NAME}}
 * @param table {@code schema.table} (or {@code table}) to read, or null when {@code query} is set
 * @param query a SELECT to read instead of a table, or null
 * @param detection how changes are found, as for {@code type: table}
 * @param watermark the monotonic column, or null
 * @param overlap how far below the last high-water mark to read again, or null
 * @param key the columns identifying a row
 * @param partitions how many connections read the source at once (1: one stream)
 * @param partitionColumn the numeric column split into {@code partitions} ranges; null when {@code partitions} is 1
 * @param fetchSize rows the driver fetches per round trip (the memory a stream holds at most)
 * @param driver the JDBC driver class to load, or null to let the URL find it
 */
public record JdbcSpec(String url, String user, String password, String table, String query,
        SourceSpec.TableDetection detection, String watermark, String overlap, List<String> key, int partitions,
        String partitionColumn, int fetchSize, String driver, Retries retries) implements SourceSpec {
    /** Rows per round trip unless the source sets {@code fetch_size}: dlt's and Airbyte's order of size. */
    public static final int DEFAULT_FETCH_SIZE = 10_000;

    public JdbcSpec {
        requireNonNull(url, "url");
        requireNonNull(detection, "detection");
        requireNonNull(retries, "retries");
        key = List.copyOf(key);
        if ((table == null) == (query == null)) {
            throw new IllegalArgumentException("a jdbc source reads a table or a query");
        }
        if (partitions < 1 || fetchSize < 1) {
            throw new IllegalArgumentException("partitions and fetch_size must be positive");
        }
        if (partitions > 1) {
            requireNonNull(partitionColumn, "partitionColumn");
        }
    }

    @Override
    public String type() {
        return "jdbc";
    }

    /** The password hidden: records print it in logs and messages. */
    @Override
    public String toString() {
        return "JdbcSpec[table=" + table + ", query=" + query + ", detection=" + detection
                + ", partitions=" + partitions + "]";
    }
}
