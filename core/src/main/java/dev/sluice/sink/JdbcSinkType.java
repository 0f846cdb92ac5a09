package dev.sluice.sink;

import dev.sluice.connect.Retries;
import dev.sluice.project.SinkSettings;
import dev.sluice.project.SinkSpec;
import dev.sluice.project.SinkType;
import dev.sluice.project.SourceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * {@code sink: { type: jdbc, url: jdbc:postgresql://host:port/db, user: ..., password: ${env:...}, table:
 * schema.name }}: a model's published result also written to a PostgreSQL table. Registered in
 * {@code META-INF/services/dev.sluice.project.SinkType}.
 */
public final class JdbcSinkType implements SinkType {
    private static final List<String> KEYS = List.of("url", "user", "password", "table");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    @Override
    public String type() {
        return JdbcSinkSettings.TYPE;
    }

    @Override
    public SinkSettings parse(SourceConfig config) {
        List<String> valid = new ArrayList<>(SinkSpec.COMMON_KEYS);
        valid.addAll(KEYS);
        valid.addAll(Retries.KEYS);
        config.checkKeys(valid);
        String url = required(config, "url", "the database's JDBC url, such as jdbc:postgresql://localhost:5432/shop");
        String table = required(config, "table", "the target table, schema.name");
        String user = config.string("user");
        String password = config.has("password") ? config.string("password") : null;
        Retries retries = Retries.parse(config);
        Properties server = url == null ? null : server(config, url);
        String[] name = table == null ? null : table(config, table);
        if (server == null || name == null || retries == null) {
            return null;
        }
        return new JdbcSinkSettings(url, user, password == null || password.isEmpty() ? null : password,
                server.getProperty("PGHOST"), Integer.parseInt(server.getProperty("PGPORT", "5432")),
                server.getProperty("PGDBNAME"), name[0], name[1], retries);
    }

    private static String required(SourceConfig config, String key, String what) {
        if (!config.has(key)) {
            config.problem(null, "Cannot read %s: %s is missing; set %s: to %s", config.what(), key, key, what);
            return null;
        }
        return config.string(key);
    }

    /** The url's host, port and database, as the PostgreSQL driver reads them; null (reported) for another url. */
    private static Properties server(SourceConfig config, String url) {
        Properties parsed = url.startsWith("jdbc:postgresql:") ? org.postgresql.Driver.parseURL(url, null) : null;
        if (parsed == null || parsed.getProperty("PGDBNAME", "").isEmpty()) {
            config.problem("url", "Cannot read %s url: '%s' is not a PostgreSQL JDBC url with a database; sinks "
                    + "write to PostgreSQL: write jdbc:postgresql://host:port/database", config.what(),
                    url.replaceAll("(?i)password=[^&;]*", "password=***"));
            return null;
        }
        // several hosts (failover) are written host1,host2: the first names the server in lineage and the catalog
        parsed.setProperty("PGHOST", parsed.getProperty("PGHOST", "localhost").split(",")[0]);
        parsed.setProperty("PGPORT", parsed.getProperty("PGPORT", "5432").split(",")[0]);
        return parsed;
    }

    /** {@code [schema, table]}; {@code public} when unqualified; null (reported) for another shape. */
    private static String[] table(SourceConfig config, String table) {
        String[] parts = table.split("\\.", -1);
        boolean plain = parts.length <= 2 && java.util.Arrays.stream(parts).allMatch(p -> NAME.matcher(p).matches());
        if (!plain) {
            config.problem("table", "Cannot read %s table: '%s' is not schema.name (each part letters, digits and "
                    + "_, not starting with a digit); write the target table as analytics.orders", config.what(),
                    table);
            return null;
        }
        return parts.length == 2 ? parts : new String[] {"public", parts[0]};
    }
}
