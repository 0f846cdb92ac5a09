package dev.sluice.connect.kafka;

import dev.sluice.connect.Retries;
import dev.sluice.project.SourceConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the settings of a {@code type: kafka} source, reporting every problem at its line. */
final class KafkaConfigParser {
    static final List<String> KEYS;

    static {
        List<String> keys = new ArrayList<>(List.of("type", "bootstrap_servers", "topic", "format", "columns",
                "properties", "max_rejected_fraction", "start", "quality", "pii"));
        keys.addAll(Retries.KEYS);
        KEYS = List.copyOf(keys);
    }

    /** Consumer settings Sluice sets itself: a bounded slice read by assignment, with no group and no commits. */
    static final List<String> RESERVED = List.of("bootstrap.servers", "key.deserializer", "value.deserializer",
            "enable.auto.commit", "auto.offset.reset", "group.id", "group.instance.id", "allow.auto.create.topics");

    private static final Pattern SERVER = Pattern.compile("[A-Za-z0-9.\\-]+:\\d{1,5}|\\[[0-9A-Fa-f:]+]:\\d{1,5}");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._\\-]{1,249}");
    private static final Pattern TYPE = Pattern.compile(
            "(?i)(BOOLEAN|BOOL|TINYINT|SMALLINT|INTEGER|INT|BIGINT|FLOAT|REAL|DOUBLE|DECIMAL|NUMERIC|VARCHAR|TEXT"
            + "|STRING|DATE|TIMESTAMP|JSON)\\s*(\\(\\s*(\\d+)\\s*(,\\s*(\\d+)\\s*)?\\))?");
    private static final Pattern PATH = Pattern.compile("(\\$\\.)?[^.\\s]+(\\.[^.\\s]+)*");

    private KafkaConfigParser() {
    }

    static KafkaSpec parse(SourceConfig config) {
        config.checkKeys(KEYS);
        String what = config.what();
        String servers = config.string("bootstrap_servers");
        String topic = config.string("topic");
        if (servers == null || topic == null) {
            config.problem(null, "Cannot read %s: a kafka source needs bootstrap_servers: (host:port of one or more "
                    + "brokers, separated by commas) and topic:", what);
            return null;
        }
        boolean valid = true;
        for (String server : servers.split(",")) {
            if (!SERVER.matcher(server.strip()).matches()) {
                config.problem("bootstrap_servers", "Cannot read %s bootstrap_servers: '%s' is not host:port; write "
                        + "brokers as host:port, separated by commas", what, server.strip());
                valid = false;
            }
        }
        if (!TOPIC.matcher(topic).matches()) {
            config.problem("topic", "Cannot read %s topic: '%s' is not a Kafka topic name (letters, digits, '.', '_' "
                    + "and '-')", what, topic);
            valid = false;
        }
        String format = config.has("format") ? config.string("format") : "json";
        if (format != null && !format.equalsIgnoreCase("json")) {
            config.problem("format", "Cannot read %s format: '%s' is not supported; kafka sources read JSON records "
                    + "(format: json)", what, format);
            valid = false;
        }
        List<KafkaSpec.Column> columns = columns(config);
        Map<String, String> properties = properties(config);
        Double fraction = config.fraction("max_rejected_fraction");
        KafkaSpec.Start start = config.has("start") ? config.choice("start", KafkaSpec.Start.class)
                : KafkaSpec.Start.EARLIEST;
        Retries retries = Retries.parse(config);
        if (!valid || columns == null || properties == null || start == null || retries == null
                || (config.has("max_rejected_fraction") && fraction == null) || format == null) {
            return null;
        }
        return new KafkaSpec(servers.strip(), topic, columns, properties, fraction == null ? 0 : fraction, start,
                retries);
    }

    /** {@code columns:}: name → type, or name → { type:, path: }. */
    private static List<KafkaSpec.Column> columns(SourceConfig config) {
        String what = config.what();
        if (!config.isMapping("columns")) {
            config.problem("columns", "Cannot read %s: a kafka source needs columns: mapping each column to its type, "
                    + "such as { id: BIGINT, url: VARCHAR }, or to { type: BIGINT, path: user.id }", what);
            return null;
        }
        SourceConfig declared = config.mapping("columns", what + " columns");
        List<KafkaSpec.Column> columns = new ArrayList<>();
        boolean valid = true;
        for (String name : declared.keys()) {
            String type;
            String path = name;
            if (declared.isMapping(name)) {
                SourceConfig column = declared.mapping(name, what + " column " + name);
                column.checkKeys(List.of("type", "path"));
                type = column.string("type");
                path = column.has("path") ? column.string("path") : name;
            } else {
                type = declared.string(name, what + " column " + name);
            }
            KafkaSpec.Column column = type == null || path == null ? null : column(declared, name, type, path);
            if (column == null) {
                valid = false;
            } else {
                columns.add(column);
            }
        }
        if (valid && columns.isEmpty()) {
            config.problem("columns", "Cannot read %s: columns: is empty; declare at least one column", what);
            return null;
        }
        return valid ? columns : null;
    }

    private static KafkaSpec.Column column(SourceConfig declared, String name, String type, String path) {
        if (name.toLowerCase(Locale.ROOT).startsWith("_sluice_")) {
            declared.problem(name, "Cannot read %s: column '%s' starts with _sluice_, which Sluice keeps for its own "
                    + "columns; rename it", declared.what(), name);
            return null;
        }
        Matcher matcher = TYPE.matcher(type.strip());
        if (!matcher.matches()) {
            declared.problem(name, "Cannot read %s: '%s' is not a type a kafka column can have (column %s); use "
                    + "BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), VARCHAR, DATE, "
                    + "TIMESTAMP or JSON", declared.what(), type, name);
            return null;
        }
        KafkaSpec.ColumnType kind = switch (matcher.group(1).toUpperCase(Locale.ROOT)) {
            case "BOOLEAN", "BOOL" -> KafkaSpec.ColumnType.BOOLEAN;
            case "TINYINT" -> KafkaSpec.ColumnType.TINYINT;
            case "SMALLINT" -> KafkaSpec.ColumnType.SMALLINT;
            case "INTEGER", "INT" -> KafkaSpec.ColumnType.INTEGER;
            case "BIGINT" -> KafkaSpec.ColumnType.BIGINT;
            case "FLOAT", "REAL" -> KafkaSpec.ColumnType.FLOAT;
            case "DOUBLE" -> KafkaSpec.ColumnType.DOUBLE;
            case "DECIMAL", "NUMERIC" -> KafkaSpec.ColumnType.DECIMAL;
            case "DATE" -> KafkaSpec.ColumnType.DATE;
            case "TIMESTAMP" -> KafkaSpec.ColumnType.TIMESTAMP;
            case "JSON" -> KafkaSpec.ColumnType.JSON;
            default -> KafkaSpec.ColumnType.VARCHAR;
        };
        String sqlType = switch (kind) {
            case DECIMAL -> "DECIMAL(" + (matcher.group(3) == null ? "18" : matcher.group(3)) + ","
                    + (matcher.group(5) == null ? "3" : matcher.group(5)) + ")";
            default -> kind.name();
        };
        if (kind == KafkaSpec.ColumnType.DECIMAL && (Integer.parseInt(matcher.group(3) == null ? "18"
                : matcher.group(3)) > 38 || (matcher.group(5) != null
                        && Integer.parseInt(matcher.group(5)) > Integer.parseInt(matcher.group(3))))) {
            declared.problem(name, "Cannot read %s: %s is no decimal type (column %s); precision goes up to 38 and the "
                    + "scale up to the precision", declared.what(), type, name);
            return null;
        }
        if (!PATH.matcher(path).matches()) {
            declared.problem(name, "Cannot read %s: path '%s' of column %s is not a field path; write field names "
                    + "separated by dots, such as user.id", declared.what(), path, name);
            return null;
        }
        String fields = path.startsWith("$.") ? path.substring(2) : path;
        return new KafkaSpec.Column(name, kind, sqlType, List.of(fields.split("\\.")));
    }

    /** {@code properties:}: consumer settings as text; those Sluice sets itself are refused. */
    private static Map<String, String> properties(SourceConfig config) {
        if (!config.has("properties")) {
            return Map.of();
        }
        if (!(config.plain("properties") instanceof Map<?, ?> written)) {
            config.problem("properties", "Cannot read %s properties: expected a map of Kafka consumer settings, such "
                    + "as { security.protocol: SASL_SSL }", config.what());
            return null;
        }
        Map<String, String> properties = new LinkedHashMap<>();
        boolean valid = true;
        for (Map.Entry<?, ?> entry : written.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (RESERVED.contains(key)) {
                config.problem("properties", "Cannot read %s properties: %s is set by Sluice (it reads a bounded slice "
                        + "per run by assignment, keeping offsets in its catalog, with no consumer group); remove it",
                        config.what(), key);
                valid = false;
            } else if (entry.getValue() instanceof Map || entry.getValue() instanceof List
                    || entry.getValue() == null) {
                config.problem("properties", "Cannot read %s properties: %s must be a single value", config.what(),
                        key);
                valid = false;
            } else {
                properties.put(key, String.valueOf(entry.getValue()));
            }
        }
        return valid ? properties : null;
    }
}
