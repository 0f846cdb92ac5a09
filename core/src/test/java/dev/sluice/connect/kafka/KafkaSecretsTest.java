package dev.sluice.connect.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.connect.Retries;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class KafkaSecretsTest {
    /** The project's redaction when PASSWORD came from ${env:KAFKA_PASSWORD}. */
    private static final UnaryOperator<String> REDACT = text -> text.replace("s3cret", "${env:KAFKA_PASSWORD}");

    private static KafkaSpec spec(Map<String, String> properties) {
        return new KafkaSpec("localhost:9092", "clicks", List.of(new KafkaSpec.Column("id",
                KafkaSpec.ColumnType.BIGINT, "BIGINT", List.of("id"))), properties, 0, KafkaSpec.Start.EARLIEST,
                Retries.DEFAULT);
    }

    @Test
    void credentialsMustComeFromTheEnvironment() {
        assertThat(KafkaSecrets.plainSecret(spec(Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"s3cret\";",
                "ssl.truststore.password", "s3cret")), REDACT)).isNull();
        assertThat(KafkaSecrets.plainSecret(spec(Map.of("ssl.truststore.password", "written-in-the-file")), REDACT))
                .isEqualTo("ssl.truststore.password");
        assertThat(KafkaSecrets.plainSecret(spec(Map.of("sasl.jaas.config", "... password=\"x\";")), REDACT))
                .isEqualTo("sasl.jaas.config");
        // Settings that name a file or an algorithm hold no credential.
        assertThat(KafkaSecrets.plainSecret(spec(Map.of("ssl.keystore.location", "/etc/k.jks", "ssl.keystore.type",
                "PKCS12", "ssl.keymanager.algorithm", "SunX509", "ssl.key.password", "")), REDACT)).isNull();
        assertThat(KafkaSecrets.sensitive("sasl.oauthbearer.client.credentials.client.secret")).isTrue();
        assertThat(KafkaSecrets.sensitive("max.poll.records")).isFalse();
    }
}
