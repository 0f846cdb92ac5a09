package dev.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The test broker: it takes records, and a stopped broker comes back at the same address. */
class KafkaBrokerTest {

    @Test
    void theBrokerTakesRecordsAndComesBackOnItsPortAfterAStop() {
        String topic = KafkaBroker.newTopic("fixture", 2);
        KafkaBroker.produce(topic, 0, List.of("a", "b"));
        assertThat(endOffset(topic)).isEqualTo(2);
        String before = KafkaBroker.bootstrapServers();
        KafkaBroker.stop();
        KafkaBroker.start();
        assertThat(KafkaBroker.bootstrapServers()).isEqualTo(before);
        KafkaBroker.produce(topic, 0, List.of("c"));
        assertThat(endOffset(topic)).isEqualTo(3);
    }

    private static long endOffset(String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
        }
    }
}
