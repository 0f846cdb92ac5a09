package dev.sluice.bench;

import static dev.sluice.bench.DetectionBenchmark.deleteTree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.SourceResult;
import dev.sluice.connect.kafka.BenchStaging;
import dev.sluice.kafka.KafkaBroker;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka → warehouse: a topic of JSON records (5 million by default, 4 partitions) on an in-process broker (the
 * tests' {@link KafkaBroker}), loaded by a {@code type: kafka} source into a fresh warehouse, against a plain consumer
 * loop in the same JVM that reads the same records by assignment and parses each with Jackson into the same five
 * typed values. Records per second of each (the source's load time, from {@code SourceResult.duration}), medians of
 * the measured rounds, and the ratio Sluice / plain (target ≥ 0.8).
 *
 * <p>Run with {@code bench/run kafka [--records 5000000] [--partitions 4] [--rounds 3] [--warmup 1] [--one-thread]
 * [--tree]}: {@code --one-thread} also loads with the staging file written on the consumer's thread (before the second
 * thread), {@code --tree} with every record converted through Jackson's tree (before the streaming conversion).
 */
public final class KafkaBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = DetectionBenchmark.options(args);
        if (options.containsKey("help")) {
            System.out.println("bench/run kafka [--records 5000000] [--partitions 4] [--rounds 3] [--warmup 1] "
                    + "[--one-thread] [--tree]");
            return;
        }
        long records = Long.parseLong(options.getOrDefault("records", "5000000"));
        int partitions = Integer.parseInt(options.getOrDefault("partitions", "4"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "1"));

        long started = System.nanoTime();
        String topic = KafkaBroker.newTopic("bench_clicks", partitions);
        produce(topic, partitions, records);
        System.out.printf(Locale.ROOT, "broker %s, topic %s: %,d JSON records in %d partitions produced in %.1f s%n",
                KafkaBroker.bootstrapServers(), topic, records, partitions, (System.nanoTime() - started) / 1e9);

        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "kafka-bench").toAbsolutePath();
        List<Double> sluiceRates = new ArrayList<>();
        List<Double> plainRates = new ArrayList<>();
        List<Double> oneThreadRates = new ArrayList<>();
        List<Double> treeRates = new ArrayList<>();
        boolean oneThread = options.containsKey("one-thread");
        boolean tree = options.containsKey("tree");
        Timings.rounds(warmup, rounds, (label, measured) -> {
            double plain = plainLoop(topic, records);
            double sluice = sluiceLoad(dir, topic, records);
            double single = Double.NaN;
            if (oneThread) {
                // The staging file written on the consumer's thread, as before the second thread.
                BenchStaging.threaded(false);
                try {
                    single = sluiceLoad(dir, topic, records);
                } finally {
                    BenchStaging.threaded(true);
                }
            }
            double treeOnly = Double.NaN;
            if (tree) {
                // Every record through Jackson's tree, as before the streaming conversion.
                BenchStaging.streaming(false);
                try {
                    treeOnly = sluiceLoad(dir, topic, records);
                } finally {
                    BenchStaging.streaming(true);
                }
            }
            System.out.printf(Locale.ROOT, "%-10s plain consumer %,12.0f records/s   sluice %,12.0f records/s   "
                    + "ratio %.3f%s%s%n", label, plain, sluice, sluice / plain, oneThread ? String.format(Locale.ROOT,
                            "   one thread %,12.0f records/s   ratio %.3f", single, single / plain) : "",
                    tree ? String.format(Locale.ROOT, "   tree only %,12.0f records/s   ratio %.3f", treeOnly,
                            treeOnly / plain) : "");
            if (measured) {
                plainRates.add(plain);
                sluiceRates.add(sluice);
                oneThreadRates.add(single);
                treeRates.add(treeOnly);
            }
        });
        double plain = Timings.median(plainRates);
        double sluice = Timings.median(sluiceRates);
        System.out.printf(Locale.ROOT, "%nmedian of %d rounds, %,d records: plain consumer %,.0f records/s, sluice "
                + "%,.0f records/s, ratio %.3f (target >= 0.8)%n", rounds, records, plain, sluice, sluice / plain);
        if (oneThread) {
            double single = Timings.median(oneThreadRates);
            System.out.printf(Locale.ROOT, "staging on the consumer's thread (before): %,.0f records/s, ratio %.3f%n",
                    single, single / plain);
        }
        if (tree) {
            double single = Timings.median(treeRates);
            System.out.printf(Locale.ROOT, "every record through Jackson's tree (before): %,.0f records/s, ratio %.3f%n",
                    single, single / plain);
        }
        System.out.printf(Locale.ROOT, "load average %.1f%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        deleteTree(dir);
        System.exit(0);
    }

    static void produce(String topic, int partitions, long records) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.ACKS_CONFIG, "1");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (long id = 0; id < records; id++) {
                String value = String.format(Locale.ROOT, "{\"id\":%d,\"user\":{\"id\":%d},\"url\":\"/p/%d\","
                        + "\"amount\":%d.%02d,\"clicked_at\":\"2026-03-01T%02d:%02d:%02d\"}", id, id % 1000,
                        id % 5000, id % 1000, id % 100, id / 3600 % 24, id / 60 % 60, id % 60);
                producer.send(new ProducerRecord<>(topic, (int) (id % partitions), null,
                        value.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** Records per second of a Sluice run's load of the topic into a fresh warehouse. */
    static double sluiceLoad(Path dir, String topic, long records) throws Exception {
        deleteTree(dir);
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("sluice.yml"), """
                name: kafka_bench
                warehouse: target/kafka.duckdb
                sources:
                  raw.clicks:
                    type: kafka
                    bootstrap_servers: %s
                    topic: %s
                    columns:
                      id: BIGINT
                      user_id: { type: INTEGER, path: user.id }
                      url: VARCHAR
                      amount: DECIMAL(10,2)
                      clicked_at: TIMESTAMP
                """.formatted(KafkaBroker.bootstrapServers(), topic));
        Files.writeString(dir.resolve("models/click_count.sql"),
                "/*---\nmaterialized: view\n---*/\nSELECT count(*) AS clicks FROM raw.clicks\n");
        RunResult run = Sluice.open(dir).run(RunOptions.defaults());
        SourceResult load = run.sources().get(0);
        if (!load.loaded() || load.rows() != records) {
            throw new IllegalStateException("the load did not read every record: " + load);
        }
        return records / (load.duration().toNanos() / 1e9);
    }

    /**
     * Records per second of the plain loop: a consumer assigned every partition from its start to its end offset,
     * each value parsed with Jackson into the same typed values the source loads.
     */
    private static double plainLoop(String topic, long records) {
        long start = System.nanoTime();
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        long read = 0;
        long checksum = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (read < records) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        JsonNode node = JSON.readTree(record.value());
                        long id = node.get("id").longValue();
                        int user = node.get("user").get("id").intValue();
                        String url = node.get("url").textValue();
                        BigDecimal amount = node.get("amount").decimalValue();
                        LocalDateTime at = LocalDateTime.parse(node.get("clicked_at").textValue());
                        checksum += id + user + url.length() + amount.scale() + at.getSecond();
                        read++;
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (checksum == 42) {
            System.out.println("(checksum " + checksum + ")");
        }
        return records / ((System.nanoTime() - start) / 1e9);
    }
}
