package dev.sluice.connect.kafka;

import static java.util.Objects.requireNonNull;

import dev.sluice.connect.Retries;
import dev.sluice.project.SourceSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings of a {@code type: kafka} source: a topic read as a bounded slice per run, its JSON records flattened
 * to the declared columns.
 *
 * @param bootstrapServers {@code host:port[,host:port...]} as written
 * @param columns the declared columns, in order
 * @param properties consumer settings passed through as written (security settings come from {@code ${env:...}})
 * @param maxRejectedFraction share of corrupt records (0..1) above which a load fails; 0: any corrupt record fails
 * @param start where the first load of a partition begins, when no offset of it is stored yet
 */
record KafkaSpec(String bootstrapServers, String topic, List<Column> columns, Map<String, String> properties,
        double maxRejectedFraction, Start start, Retries retries) implements SourceSpec {

    KafkaSpec {
        requireNonNull(bootstrapServers, "bootstrapServers");
        requireNonNull(topic, "topic");
        columns = List.copyOf(columns);
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
        requireNonNull(start, "start");
        requireNonNull(retries, "retries");
    }

    @Override
    public String type() {
        return "kafka";
    }

    /** The first server of {@link #bootstrapServers}, {@code host:port}: the dataset's namespace and messages' name. */
    String firstServer() {
        return bootstrapServers.split(",")[0].strip();
    }

    /** The columns by name. */
    Map<String, Column> columnsByName() {
        Map<String, Column> byName = new LinkedHashMap<>();
        columns.forEach(column -> byName.put(column.name(), column));
        return byName;
    }

    /** Where a first load begins in a partition it has no offset for. */
    enum Start {
        /** The first record still held by the topic. */
        EARLIEST,
        /** The end at the first load: only records produced after it are loaded. */
        LATEST
    }

    /**
     * One declared column.
     *
     * @param type the warehouse type as Sluice writes it ({@code BIGINT}, {@code DECIMAL(12,2)}...)
     * @param path the field's path in the record, its names split at dots ({@code user.id}); the column's name by
     *     default
     */
    record Column(String name, ColumnType type, String sqlType, List<String> path) {
        Column {
            requireNonNull(name, "name");
            requireNonNull(type, "type");
            requireNonNull(sqlType, "sqlType");
            path = List.copyOf(path);
        }
    }

    /** The types a declared column may have, each with how a JSON value becomes it. */
    enum ColumnType { BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, FLOAT, DOUBLE, DECIMAL, VARCHAR, DATE, TIMESTAMP,
        JSON }
}
