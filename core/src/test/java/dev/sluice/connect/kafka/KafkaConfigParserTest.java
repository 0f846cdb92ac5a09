package dev.sluice.connect.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.SluiceException;
import dev.sluice.connect.Retries;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConfigParserTest {
    @TempDir
    Path dir;

    private KafkaSpec read(String source) {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nsources:\n  raw.clicks:\n" + source);
        Project project = ProjectReader.read(dir, Map.of());
        return (KafkaSpec) project.sources().get(0).spec();
    }

    private List<String> problems(String source) {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nsources:\n  raw.clicks:\n" + source);
        SluiceException failure = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of()));
        return failure.problems();
    }

    @Test
    void readsEverySetting() {
        KafkaSpec spec = read("""
                    type: kafka
                    bootstrap_servers: broker-1:9092, broker-2:9093
                    topic: web.clicks
                    format: json
                    columns:
                      id: BIGINT
                      user_id: { type: int, path: $.user.id }
                      price: decimal(12, 4)
                      tags: JSON
                    properties: { security.protocol: SASL_SSL, max.poll.records: 100 }
                    max_rejected_fraction: 0.05
                    start: latest
                    retries: 5
                    timeout: 10 seconds
                    backoff: 200 ms
                """);
        assertThat(spec.bootstrapServers()).isEqualTo("broker-1:9092, broker-2:9093");
        assertThat(spec.firstServer()).isEqualTo("broker-1:9092");
        assertThat(spec.topic()).isEqualTo("web.clicks");
        assertThat(spec.columns()).containsExactly(
                new KafkaSpec.Column("id", KafkaSpec.ColumnType.BIGINT, "BIGINT", List.of("id")),
                new KafkaSpec.Column("user_id", KafkaSpec.ColumnType.INTEGER, "INTEGER", List.of("user", "id")),
                new KafkaSpec.Column("price", KafkaSpec.ColumnType.DECIMAL, "DECIMAL(12,4)", List.of("price")),
                new KafkaSpec.Column("tags", KafkaSpec.ColumnType.JSON, "JSON", List.of("tags")));
        assertThat(spec.columnsByName()).containsOnlyKeys("id", "user_id", "price", "tags");
        assertThat(spec.properties()).isEqualTo(Map.of("security.protocol", "SASL_SSL", "max.poll.records", "100"));
        assertThat(spec.maxRejectedFraction()).isEqualTo(0.05);
        assertThat(spec.start()).isEqualTo(KafkaSpec.Start.LATEST);
        assertThat(spec.retries()).isEqualTo(new Retries(5, Duration.ofSeconds(10), Duration.ofMillis(200)));
        assertThat(spec.type()).isEqualTo("kafka");
    }

    @Test
    void defaultsToJsonFromTheEarliestRecordWithNoCorruptRecordAllowed() {
        KafkaSpec spec = read("""
                    type: kafka
                    bootstrap_servers: localhost:9092
                    topic: clicks
                    columns: { id: BIGINT, amount: DECIMAL, ok: bool, note: text, day: DATE, at: TIMESTAMP }
                """);
        assertThat(spec.start()).isEqualTo(KafkaSpec.Start.EARLIEST);
        assertThat(spec.maxRejectedFraction()).isZero();
        assertThat(spec.properties()).isEmpty();
        assertThat(spec.retries()).isEqualTo(Retries.DEFAULT);
        assertThat(spec.columns()).extracting(KafkaSpec.Column::sqlType)
                .containsExactly("BIGINT", "DECIMAL(18,3)", "BOOLEAN", "VARCHAR", "DATE", "TIMESTAMP");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThat(problems("""
                    type: kafka
                    bootstrap_servers: localhost, other:9092
                    topic: 'bad topic'
                    format: avro
                    columns:
                      id: BIGINT
                      payload: BLOB
                      _sluice_run: BIGINT
                      price: DECIMAL(40,2)
                      user: { type: INTEGER, path: 'a..b' }
                      extra: { type: INTEGER, flavour: x }
                    properties: { group.id: mine, enable.auto.commit: true, nested: { a: 1 } }
                    start: middle
                    max_rejected_fraction: 2
                    timeout: soon
                """)).satisfiesExactlyInAnyOrder(
                p -> assertThat(p).contains("bootstrap_servers: 'localhost' is not host:port"),
                p -> assertThat(p).contains("topic: 'bad topic' is not a Kafka topic name"),
                p -> assertThat(p).contains("format: 'avro' is not supported; kafka sources read JSON records"),
                p -> assertThat(p).contains("'BLOB' is not a type a kafka column can have (column payload)"),
                p -> assertThat(p).contains("column '_sluice_run' starts with _sluice_"),
                p -> assertThat(p).contains("DECIMAL(40,2) is no decimal type (column price)"),
                p -> assertThat(p).contains("path 'a..b' of column user is not a field path"),
                p -> assertThat(p).contains("unknown key 'flavour'"),
                p -> assertThat(p).contains("properties: group.id is set by Sluice"),
                p -> assertThat(p).contains("properties: enable.auto.commit is set by Sluice"),
                p -> assertThat(p).contains("properties: nested must be a single value"),
                p -> assertThat(p).contains("start").contains("middle"),
                p -> assertThat(p).contains("max_rejected_fraction"),
                p -> assertThat(p).contains("timeout: 'soon' is not a length of time"));
    }

    @Test
    void needsServersTopicAndColumns() {
        assertThat(problems("    type: kafka\n    topic: clicks\n    columns: { id: BIGINT }\n"))
                .singleElement().asString().contains("a kafka source needs bootstrap_servers:");
        assertThat(problems("    type: kafka\n    bootstrap_servers: h:1\n    topic: clicks\n"))
                .singleElement().asString().contains("a kafka source needs columns: mapping each column");
        assertThat(problems("    type: kafka\n    bootstrap_servers: h:1\n    topic: clicks\n    columns: {}\n"))
                .singleElement().asString().contains("columns: is empty; declare at least one column");
        assertThat(problems("    type: kafka\n    bootstrap_servers: h:1\n    topic: t\n    columns: { id: BIGINT }\n"
                + "    properties: [a]\n")).singleElement().asString()
                .contains("properties: expected a map of Kafka consumer settings");
    }
}
