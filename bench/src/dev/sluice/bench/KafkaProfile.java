package dev.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.connect.kafka.BenchJson;
import dev.sluice.kafka.KafkaBroker;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where a kafka source's load spends its time, each part on its own in the same JVM (the in-process broker's CPU
 * counts in the process's): the consumer's poll with the records dropped, the plain loop (poll and Jackson's tree),
 * the poll copying the raw values to a newline-delimited file, the source's conversion and CSV lines over values held
 * in memory (through Jackson's tree alone, as before, and streaming, as the load does now), the engine's CSV read of
 * those lines into a table, its JSON read of the raw file into a table, and a whole Sluice load. Wall and process CPU
 * seconds of each, medians of the rounds.
 *
 * <p>Run with {@code bench/run kafka-profile [--records 2000000] [--partitions 4] [--rounds 3]}.
 */
public final class KafkaProfile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaProfile() {
    }

    interface Part {
        void run() throws Exception;
    }

    record Cost(double wall, double cpu) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = DetectionBenchmark.options(args);
        long records = Long.parseLong(options.getOrDefault("records", "2000000"));
        int partitions = Integer.parseInt(options.getOrDefault("partitions", "4"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        String topic = KafkaBroker.newTopic("profile_clicks", partitions);
        KafkaBenchmark.produce(topic, partitions, records);
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "kafka-profile")
                .toAbsolutePath();
        List<byte[]> values = new ArrayList<>();
        consume(topic, records, record -> values.add(record.value()));
        Path ndjson = dir.resolve("values.ndjson");
        Path[] csv = new Path[1];
        Map<String, Part> parts = new LinkedHashMap<>();
        parts.put("consumer poll, dropped", () -> consume(topic, records, record -> { }));
        parts.put("plain loop (poll + Jackson tree)", () -> consume(topic, records, KafkaProfile::parse));
        parts.put("poll + raw values to a file", () -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(ndjson), 1 << 18)) {
                consume(topic, records, record -> {
                    try {
                        out.write(record.value());
                        out.write('\n');
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
        });
        parts.put("tree (JsonRecords) + CSV lines, from memory", () -> {
            if (csv[0] != null) {
                Files.deleteIfExists(csv[0]);
            }
            csv[0] = BenchJson.csv(values, dir.resolve("staging"), false);
        });
        parts.put("streaming (JsonFields) + CSV lines, from memory", () -> {
            Files.deleteIfExists(csv[0]);
            csv[0] = BenchJson.csv(values, dir.resolve("staging"), true);
        });
        parts.put("engine: read_csv(lines) into a table", () -> warehouse(dir, BenchJson.readCsv(csv[0]), records));
        parts.put("engine: read_json(raw) into a table", () -> warehouse(dir, "(SELECT id, \"user\".id AS user_id, "
                + "url, amount, clicked_at FROM read_json('" + ndjson + "', format = 'newline_delimited', "
                + "columns = {id: 'BIGINT', \"user\": 'STRUCT(id INTEGER)', url: 'VARCHAR', amount: 'DECIMAL(10,2)', "
                + "clicked_at: 'TIMESTAMP'}))", records));
        parts.put("sluice load", () -> KafkaBenchmark.sluiceLoad(dir.resolve("project"), topic, records));
        Map<String, List<Cost>> costs = new LinkedHashMap<>();
        for (int round = 0; round <= rounds; round++) {
            for (Map.Entry<String, Part> part : parts.entrySet()) {
                System.gc();
                double cpu = cpu();
                long start = System.nanoTime();
                part.getValue().run();
                Cost cost = new Cost((System.nanoTime() - start) / 1e9, cpu() - cpu);
                if (round > 0) {
                    costs.computeIfAbsent(part.getKey(), key -> new ArrayList<>()).add(cost);
                }
                System.out.printf(Locale.ROOT, "%-9s %-48s wall %6.2f s  cpu %6.2f s%n", round == 0 ? "warm-up"
                        : "round " + round, part.getKey(), cost.wall(), cost.cpu());
            }
        }
        System.out.printf(Locale.ROOT, "%n%,d records, medians of %d rounds, load average %.1f%n", records, rounds,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        costs.forEach((name, list) -> System.out.printf(Locale.ROOT, "%-48s wall %6.2f s  cpu %6.2f s%n", name,
                Timings.median(list.stream().map(Cost::wall).toList()),
                Timings.median(list.stream().map(Cost::cpu).toList())));
        Timings.deleteRecursively(dir);
        System.exit(0);
    }

    private static double cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    interface Sink {
        void accept(ConsumerRecord<byte[], byte[]> record) throws Exception;
    }

    /** Every record of the topic up to its end offsets, by assignment, with the plain loop's consumer settings. */
    private static void consume(String topic, long records, Sink sink) throws Exception {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        long read = 0;
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
                        sink.accept(record);
                        read++;
                    }
                }
            }
        }
    }

    private static long checksum;

    private static void parse(ConsumerRecord<byte[], byte[]> record) throws Exception {
        JsonNode node = JSON.readTree(record.value());
        long id = node.get("id").longValue();
        int user = node.get("user").get("id").intValue();
        String url = node.get("url").textValue();
        BigDecimal amount = node.get("amount").decimalValue();
        LocalDateTime at = LocalDateTime.parse(node.get("clicked_at").textValue());
        checksum += id + user + url.length() + amount.scale() + at.getSecond();
    }

    private static void warehouse(Path dir, String read, long expected) throws Exception {
        Path file = dir.resolve("profile.duckdb");
        Files.deleteIfExists(file);
        try (Connection connection = java.sql.DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE clicks AS SELECT * FROM " + read);
            try (ResultSet result = statement.executeQuery("SELECT count(*) FROM clicks")) {
                result.next();
                if (result.getLong(1) != expected) {
                    throw new IllegalStateException("read " + result.getLong(1) + " rows, not " + expected);
                }
            }
        }
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir.resolve("profile.duckdb.wal"));
    }
}
