package dev.sluice.connect.kafka;

import dev.sluice.project.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a bounded slice of a topic with a consumer of its own: by assignment (no consumer group, nothing committed
 * to Kafka), from the stored offsets up to the end offsets seen when the slice is taken, so records produced during
 * the read wait for the next run. Read committed by default, so aborted transactions never reach the warehouse.
 * Not thread-safe; one per load.
 */
final class KafkaReader implements AutoCloseable {
    private final KafkaSpec spec;
    private final Source source;
    private final KafkaConsumer<byte[], byte[]> consumer;

    KafkaReader(KafkaSpec spec, Source source) {
        this.spec = spec;
        this.source = source;
        Properties properties = new Properties();
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-" + source.qualifiedName());
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) spec.retries().timeout().toMillis());
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) spec.retries().timeout().toMillis());
        properties.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        properties.putAll(spec.properties());
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, spec.bootstrapServers());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Reading never changes the source: asking for a missing topic must not create it.
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // Offsets come from the catalog, never from Kafka: an offset out of range is an error, not a silent jump.
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        this.consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * What one load reads per partition: offsets {@code [from, to)}. {@code stored} holds the catalog's offsets
     * (empty before the first load).
     */
    record Slice(Map<Integer, Long> from, Map<Integer, Long> to) {
        Slice {
            from = new TreeMap<>(from);
            to = new TreeMap<>(to);
        }

        long records() {
            return to.entrySet().stream().mapToLong(e -> e.getValue() - from.get(e.getKey())).sum();
        }

        /** Offsets as {@code partition:offset,...}, ordered by partition: what detections record. */
        static String text(Map<Integer, Long> offsets) {
            List<String> parts = new ArrayList<>();
            new TreeMap<>(offsets).forEach((partition, offset) -> parts.add(partition + ":" + offset));
            return String.join(",", parts);
        }
    }

    /** A topic the broker does not hold, or offsets it no longer has: retrying cannot help. */
    static final class SliceProblem extends RuntimeException {
        SliceProblem(String message) {
            super(message);
        }
    }

    /**
     * The slice of this run: every partition of the topic, from its stored offset (a partition without one, from
     * its first record; on the very first load with {@code start: latest}, from its end) to its end offset now.
     * Retried under the source's {@code retries}/{@code timeout}/{@code backoff} while the broker cannot be reached.
     */
    Slice slice(Map<Integer, Long> stored) throws Exception {
        return spec.retries().call("kafka " + source.qualifiedName(), KafkaReader::retryable, () -> {
            Duration timeout = spec.retries().timeout();
            List<PartitionInfo> infos = consumer.partitionsFor(spec.topic(), timeout);
            if (infos == null || infos.isEmpty()) {
                throw new SliceProblem("topic '" + spec.topic() + "' does not exist on " + spec.bootstrapServers()
                        + "; create it, or fix topic: in sluice.yml");
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(spec.topic(), info.partition())).toList();
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Map<Integer, Long> from = new HashMap<>();
            Map<Integer, Long> to = new HashMap<>();
            for (TopicPartition partition : partitions) {
                long first = beginning.get(partition);
                long last = end.get(partition);
                Long offset = stored.get(partition.partition());
                if (offset == null) {
                    offset = stored.isEmpty() && spec.start() == KafkaSpec.Start.LATEST ? last : first;
                } else if (offset < first) {
                    throw new SliceProblem(String.format("records %d to %d of partition %d were deleted from the "
                            + "topic (retention) before they were loaded; to go on without them, delete the "
                            + "partition's row of sluice.stream_offsets (source '%s') and reload", offset, first - 1,
                            partition.partition(), source.qualifiedName()));
                } else if (offset > last) {
                    throw new SliceProblem(String.format("partition %d ends at offset %d, before offset %d already "
                            + "loaded: the topic was deleted and created again; delete the source's rows of "
                            + "sluice.stream_offsets to load it from its start", partition.partition(), last, offset));
                }
                from.put(partition.partition(), offset);
                to.put(partition.partition(), last);
            }
            return new Slice(from, to);
        });
    }

    /** Connection failures and timeouts are retried; everything else fails at once. */
    static boolean retryable(Throwable failure) {
        return failure instanceof RetriableException;
    }

    /** What receives the records read, in offset order per partition. */
    interface Records {
        void accept(ConsumerRecord<byte[], byte[]> record);
    }

    /** The read stopped making progress: the broker went away for longer than the source's timeout. */
    static final class Stalled extends RuntimeException {
        Stalled(String message) {
            super(message);
        }
    }

    /**
     * Reads every record of the slice, exactly once and in order per partition, into {@code records}. When no
     * record arrives for longer than the source's timeout (the broker stopped), fails with {@link Stalled}; a broker
     * back within it is read on from where the read was.
     */
    void read(Slice slice, Records records) {
        Map<TopicPartition, Long> ends = new HashMap<>();
        slice.to().forEach((partition, end) -> {
            if (end > slice.from().get(partition)) {
                ends.put(new TopicPartition(spec.topic(), partition), end);
            }
        });
        if (ends.isEmpty()) {
            return;
        }
        consumer.assign(ends.keySet());
        ends.keySet().forEach(partition -> consumer.seek(partition, slice.from().get(partition.partition())));
        Set<TopicPartition> remaining = new HashSet<>(ends.keySet());
        long timeout = spec.retries().timeout().toNanos();
        long lastProgress = System.nanoTime();
        long read = 0;
        while (!remaining.isEmpty()) {
            ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
            long before = read;
            for (TopicPartition partition : batch.partitions()) {
                long end = ends.get(partition);
                for (ConsumerRecord<byte[], byte[]> record : batch.records(partition)) {
                    if (record.offset() >= end) {
                        break;
                    }
                    records.accept(record);
                    read++;
                }
            }
            for (TopicPartition partition : List.copyOf(remaining)) {
                // The position passes the end over transaction markers too, which carry no record.
                if (consumer.position(partition, spec.retries().timeout()) >= ends.get(partition)) {
                    remaining.remove(partition);
                    consumer.pause(List.of(partition));
                }
            }
            if (read > before) {
                lastProgress = System.nanoTime();
                KafkaFaults.reach(KafkaFaults.AFTER_BATCH, source.qualifiedName());
            } else if (System.nanoTime() - lastProgress > timeout) {
                throw new Stalled(String.format("no record arrived from %s for %s with %d of %d records of the slice "
                        + "still to read", spec.bootstrapServers(), spec.retries().timeout(), slice.records() - read,
                        slice.records()));
            }
        }
    }

    @Override
    public void close() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
