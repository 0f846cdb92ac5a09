package dev.sluice.connect.jdbc;

import dev.sluice.connect.Retries;
import dev.sluice.project.SourceConfig;
import dev.sluice.project.SourceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads the settings of a {@code type: jdbc} source. */
final class JdbcConfigParser {
    static final List<String> KEYS;

    static {
        List<String> keys = new ArrayList<>(List.of("type", "url", "user", "password", "table", "query", "detection",
                "watermark", "overlap", "key", "partitions", "partition_column", "fetch_size", "driver"));
        keys.addAll(Retries.KEYS);
        KEYS = List.copyOf(keys);
    }

    /** A table name: {@code table} or {@code schema.table} (or {@code db.schema.table}), plain identifiers. */
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*){0,2}");
    private static final Pattern CLASS = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

    private JdbcConfigParser() {
    }

    static JdbcSpec parse(SourceConfig config) {
        config.checkKeys(KEYS);
        String what = config.what();
        String url = config.string("url");
        String user = config.string("user");
        String password = config.string("password");
        String table = config.string("table");
        String query = config.string("query");
        Retries retries = Retries.parse(config);
        boolean valid = retries != null;
        if (url == null || !url.startsWith("jdbc:")) {
            config.problem("url", "Cannot read %s: a jdbc source needs url: a JDBC URL such as "
                    + "jdbc:postgresql://host:5432/database (secrets from ${env:NAME})", what);
            valid = false;
        }
        if (password != null && !password.isEmpty() && !config.fromEnvironment("password")) {
            // Never echo the value: it is the password.
            config.problem("password", "Cannot read %s: password is written in clear text; write "
                    + "password: ${env:NAME} and set the environment variable NAME", what);
            valid = false;
        }
        if ((table == null) == (query == null)) {
            config.problem(null, "Cannot read %s: a jdbc source reads either table: (schema.table) or query: "
                    + "(a SELECT), not %s", what, table == null ? "neither" : "both");
            valid = false;
        } else if (table != null && !TABLE.matcher(table).matches()) {
            config.problem("table", "Cannot read %s: table '%s' is not schema.table; write the table's name, or "
                    + "use query: for anything else", what, table);
            valid = false;
        }
        String driver = config.string("driver");
        if (driver != null && !CLASS.matcher(driver).matches()) {
            config.problem("driver", "Cannot read %s: driver '%s' is not a Java class name such as "
                    + "org.postgresql.Driver", what, driver);
            valid = false;
        }
        Long fetchSize = config.has("fetch_size") ? config.integer("fetch_size", 1)
                : Long.valueOf(JdbcSpec.DEFAULT_FETCH_SIZE);
        Long partitions = config.has("partitions") ? config.integer("partitions", 1) : Long.valueOf(1);
        String partitionColumn = config.string("partition_column");
        if (partitions != null && partitions > 64) {
            config.problem("partitions", "Cannot read %s: partitions %d is more connections than a source should "
                    + "open; use at most 64", what, partitions);
            valid = false;
        }
        if (partitions != null && partitions > 1 && partitionColumn == null) {
            config.problem("partitions", "Cannot read %s: partitions: %d needs partition_column: (a numeric column "
                    + "such as the primary key, split into ranges)", what, partitions);
            valid = false;
        }
        SourceSpec.TableDetection detection = detection(config);
        String watermark = config.string("watermark");
        String overlap = config.text("overlap");
        List<String> key = config.strings("key");
        if (detection == null) {
            return null;
        }
        if (detection == SourceSpec.TableDetection.WATERMARK && watermark == null) {
            config.problem(null, "Cannot read %s: detection: watermark needs watermark: (a monotonic column such as "
                    + "updated_at or an id)", what);
            valid = false;
        }
        if (detection == SourceSpec.TableDetection.ROW_HASH && key.isEmpty()) {
            config.problem(null, "Cannot read %s: detection: row_hash needs key: (the columns identifying a row)",
                    what);
            valid = false;
        }
        if (overlap != null && detection != SourceSpec.TableDetection.WATERMARK) {
            config.problem("overlap", "Cannot read %s: overlap applies only with a watermark", what);
            valid = false;
        }
        if (!valid || fetchSize == null || partitions == null) {
            return null;
        }
        return new JdbcSpec(url, user, password, table, query, detection, watermark, overlap, key,
                partitions.intValue(), partitions > 1 ? partitionColumn : null, (int) Math.min(fetchSize, 1_000_000),
                driver, retries);
    }

    /** {@code detection:} as written, or watermark when a watermark is set, else a full read. */
    private static SourceSpec.TableDetection detection(SourceConfig config) {
        if (config.has("detection")) {
            return config.choice("detection", SourceSpec.TableDetection.class);
        }
        return config.has("watermark") ? SourceSpec.TableDetection.WATERMARK : SourceSpec.TableDetection.FULL;
    }
}
