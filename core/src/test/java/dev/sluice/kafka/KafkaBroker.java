package dev.sluice.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One real Kafka broker (KRaft, controller and broker in one node, Kafka's own test kit) for the whole test JVM,
 * started on first use in a few seconds and stopped when the JVM exits. Its broker listens on a port the test kit binds
 * again after a restart, so that it can be stopped and started again at the same address ({@link #stop}, {@link #start}). Each test
 * class uses topics of its own ({@link #newTopic}).
 */
public final class KafkaBroker {
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static KafkaClusterTestKit cluster;

    private KafkaBroker() {
    }

    /** The running cluster, started on the first call. */
    public static synchronized KafkaClusterTestKit shared() {
        if (cluster == null) {
            try {
                Path work = Files.createTempDirectory("sluice-kafka");
                TestKitNodes nodes = new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBaseDirectory(work)
                        .build();
                KafkaClusterTestKit started = new KafkaClusterTestKit.Builder(nodes)
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .build();
                started.format();
                started.startup();
                started.waitForReadyBrokers();
                cluster = started;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (Exception e) {
                        // the JVM is exiting; the log directories are temporary
                    }
                }));
            } catch (Exception e) {
                throw new IllegalStateException("Cannot start the in-process Kafka broker for tests", e);
            }
        }
        return cluster;
    }

    /** {@code host:port} of the broker. */
    public static String bootstrapServers() {
        shared();
        return shared().bootstrapServers();
    }

    /** Creates a topic named after {@code prefix} with {@code partitions} partitions and returns its name. */
    public static String newTopic(String prefix, int partitions) {
        String name = prefix + "_" + TOPICS.incrementAndGet();
        try (Admin admin = shared().admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("Cannot create topic " + name, e);
        }
        return name;
    }

    /** Grows a topic to {@code partitions} partitions. */
    public static void addPartitions(String topic, int partitions) {
        try (Admin admin = shared().admin()) {
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions))).all().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("Cannot add partitions to " + topic, e);
        }
    }

    /**
     * Sends the values (UTF-8 text) to a partition of the topic, and waits until the broker has acknowledged every
     * one of them.
     */
    public static void produce(String topic, int partition, List<String> values) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // Small record batches, so that tests can read a topic in many small fetches.
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, "1024");
        // On a loaded machine (2 cores shared by many builds), a batch can wait longer than the default 2 minutes;
        // the producer retries it (idempotent: never twice in the topic) rather than giving up on it.
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "600000");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "600000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
            for (String value : values) {
                sent.add(producer.send(new ProducerRecord<>(topic, partition, null, value)));
            }
            producer.flush();
            // A send the broker did not acknowledge (a delivery timeout on a loaded machine) fails the test here,
            // instead of leaving a record the test expects but the topic does not hold.
            for (java.util.concurrent.Future<?> future : sent) {
                future.get();
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("Cannot produce to " + topic + "-" + partition, e);
        }
    }

    /** The broker server (to stop and start it). */
    static BrokerServer broker() {
        return shared().brokers().values().iterator().next();
    }

    /** Stops the broker (the controller keeps running); the port refuses connections until {@link #start}. */
    public static void stop() {
        broker().shutdown();
        broker().awaitShutdown();
    }

    /** Starts the stopped broker again, on the same port. */
    public static void start() {
        broker().startup();
    }

}
