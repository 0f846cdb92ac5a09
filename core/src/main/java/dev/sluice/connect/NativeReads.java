package dev.sluice.connect;

import static java.util.Objects.requireNonNull;

import dev.sluice.engine.Session;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * An engine's own readers of sources, for the bulk read of a load: a connector plans the read as it does for every
 * engine (the columns, the ranges, the watermark, the offsets: its checkpoints stay its own), and when the session's
 * engine reads such a source itself (Spark's JDBC and Kafka sources, read by its executors), hands it the planned
 * read instead of streaming the rows through this process. Found by {@link ServiceLoader} (registered in
 * {@code META-INF/services/dev.sluice.connect.NativeReads} of an engine's module); implementations are stateless.
 * Each method is an optional capability: the defaults throw {@link UnsupportedOperationException}.
 */
public interface NativeReads {

    /** True when {@code session} is one of the engine this reads for. */
    boolean reads(Session session);

    /** True when the engine reads {@link #jdbc JDBC} sources. */
    default boolean readsJdbc() {
        return false;
    }

    /**
     * Makes the planned JDBC read readable on the session as the temporary view {@code view}: every row of every
     * query of {@code read} once, with the columns' final types, and nothing else.
     */
    default void jdbc(Session session, JdbcRead read, String view) {
        throw new UnsupportedOperationException(getClass().getName() + " does not read JDBC sources");
    }

    /** True when the engine reads {@link #kafka Kafka} sources. */
    default boolean readsKafka() {
        return false;
    }

    /**
     * Reads every record of the slice ({@code [from, to)} per partition) exactly once and hands each to
     * {@code records}, in offset order per partition.
     */
    default void kafka(Session session, KafkaRead read, KafkaRecords records) {
        throw new UnsupportedOperationException(getClass().getName() + " does not read Kafka sources");
    }

    /** The engine's readers of {@code session}'s engine, if it has any. */
    static Optional<NativeReads> of(Session session) {
        for (NativeReads reads : ServiceLoader.load(NativeReads.class, NativeReads.class.getClassLoader())) {
            if (reads.reads(session)) {
                return Optional.of(reads);
            }
        }
        return Optional.empty();
    }

    /**
     * A planned read of a database through JDBC.
     *
     * @param source what is read, for messages ({@code table public.orders on host:5432/db}), without secrets
     * @param url the JDBC URL (may hold secrets: never in a message)
     * @param properties the connection's properties ({@code user}, {@code password}, {@code driver})
     * @param queries the SELECTs of the read, values written in: one per range of a partitioned read, each read on a
     *     connection of its own; together they read every row once
     * @param columns the columns each query gives, in order
     * @param fetchSize rows per round trip
     */
    record JdbcRead(String source, String url, Map<String, String> properties, List<String> queries, List<JdbcColumn> columns,
            int fetchSize) {
        public JdbcRead {
            requireNonNull(source, "source");
            requireNonNull(url, "url");
            properties = Map.copyOf(properties);
            queries = List.copyOf(queries);
            columns = List.copyOf(columns);
        }

        /** The URL and properties hidden: records print in logs and messages. */
        @Override
        public String toString() {
            return "JdbcRead[source=" + source + ", queries=" + queries.size() + ", columns=" + columns + "]";
        }
    }

    /**
     * A column of a JDBC read.
     *
     * @param name the column's name in the queries and the view
     * @param sent what the query gives: {@link Sent#VALUE} the value itself, or its text for the engine to convert
     * @param type the column's type in the view, as Sluice names types ({@code DECIMAL(12,2)}, {@code INTEGER[]})
     */
    record JdbcColumn(String name, Sent sent, String type) {
        public JdbcColumn {
            requireNonNull(name, "name");
            requireNonNull(sent, "sent");
            requireNonNull(type, "type");
        }
    }

    /** What a JDBC query gives for a column. */
    enum Sent {
        /** The value, of a type the driver reads as {@code type}. */
        VALUE,
        /** An instant as its UTC wall time (a timestamp without time zone). */
        UTC_TIMESTAMP,
        /** The value's JSON text (JSON, and lists as JSON arrays). */
        JSON_TEXT,
        /** Bytes as hexadecimal text. */
        HEX_TEXT,
        /** A decimal's text, which must fit {@code type} without losing a digit (else the read fails). */
        DECIMAL_TEXT
    }

    /**
     * A planned read of a Kafka topic's slice.
     *
     * @param properties the consumer's settings as the source gives them (may hold secrets: never in a message)
     * @param from the first offset to read, per partition
     * @param to the offset after the last to read, per partition
     */
    record KafkaRead(String bootstrapServers, String topic, Map<String, String> properties, Map<Integer, Long> from,
            Map<Integer, Long> to) {
        public KafkaRead {
            requireNonNull(bootstrapServers, "bootstrapServers");
            requireNonNull(topic, "topic");
            properties = Map.copyOf(properties);
            from = Map.copyOf(from);
            to = Map.copyOf(to);
        }

        @Override
        public String toString() {
            return "KafkaRead[topic=" + topic + ", from=" + from + ", to=" + to + "]";
        }
    }

    /** What receives a Kafka read's records. */
    interface KafkaRecords {
        void accept(int partition, long offset, byte[] value);
    }
}
