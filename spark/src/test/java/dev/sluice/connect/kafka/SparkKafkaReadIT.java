package dev.sluice.connect.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Engines;
import dev.sluice.engine.Session;
import dev.sluice.kafka.KafkaBroker;
import dev.sluice.project.ProjectsWithEnvironment;
import dev.sluice.project.Source;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code type: kafka} sources read by Spark's Kafka source in batch mode (sparksrc): the connector takes the slice
 * from its checkpoint as on DuckDB, Spark's executors read exactly that slice ({@code startingOffsets} /
 * {@code endingOffsets} per partition), and the records reach the connector's parser and staging file as its own
 * consumer hands them over: the same records, in the same order per partition, the staged rows read by Spark.
 */
class SparkKafkaReadIT {
    @TempDir
    static Path dir;
    private static Engine spark;
    private static Engine duckDb;
    private static Session onSpark;
    private static Session onDuckDb;
    private static String topic;

    @BeforeAll
    static void start() {
        topic = KafkaBroker.newTopic("spark_clicks", 3);
        for (int partition = 0; partition < 3; partition++) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int id = partition * 1000 + i;
                values.add(i == 7 ? "not json " + id : "{\"id\": " + id + ", \"user\": {\"id\": " + (id % 13)
                        + "}, \"url\": \"/p/" + id + "\", \"amount\": \"" + id + ".25\"}");
            }
            KafkaBroker.produce(topic, partition, values);
        }
        System.setProperty("sluice.spark.master", "local[2]");
        spark = Engines.factory("spark").open(EngineOptions.inMemory(List.of(dir)));
        duckDb = Engines.factory("duckdb").open(EngineOptions.inMemory(List.of(dir)));
        onSpark = spark.session();
        onDuckDb = duckDb.session();
    }

    @AfterAll
    static void stop() {
        onSpark.close();
        onDuckDb.close();
        spark.close();
        duckDb.close();
    }

    @Test
    void sparkReadsTheSliceOfTheCheckpointAsTheConsumerDoes() throws Exception {
        Source source = source("clicks");
        KafkaSpec spec = (KafkaSpec) source.spec();
        try (KafkaReader reader = new KafkaReader(spec, source)) {
            // The first load's slice, then the next one's from its offsets (the checkpoint) after more records.
            KafkaReader.Slice first = reader.slice(Map.of());
            assertThat(first.to()).containsExactlyInAnyOrderEntriesOf(Map.of(0, 400L, 1, 400L, 2, 400L));
            List<String> read = records(onSpark, source, first);
            assertThat(read).hasSize(1200);
            // Partitions come one after another from Spark, interleaved from the consumer: the same in each.
            assertThat(perPartition(read)).isEqualTo(perPartition(records(onDuckDb, source, first)));

            KafkaBroker.produce(topic, 1, List.of("{\"id\": 5000}", "{\"id\": 5001}"));
            KafkaReader.Slice next = reader.slice(first.to());
            assertThat(next.from()).isEqualTo(first.to());
            assertThat(records(onSpark, source, next)).containsExactly("1:400:{\"id\": 5000}",
                    "1:401:{\"id\": 5001}").isEqualTo(records(onDuckDb, source, next));
            // Nothing new: nothing read, and Spark is not even asked.
            assertThat(records(onSpark, source, reader.slice(next.to()))).isEmpty();
        }
    }

    @Test
    void theRecordsSparkReadAreParsedStagedAndReadByTheSparkSession() throws Exception {
        Source source = source("staged");
        KafkaSpec spec = (KafkaSpec) source.spec();
        try (KafkaReader reader = new KafkaReader(spec, source);
                StagingFile file = new StagingFile(dir.resolve("staging"), spec.columns())) {
            KafkaReader.Slice slice = reader.slice(Map.of());
            StagingWriter.Staged staged;
            try (StagingWriter writer = new StagingWriter(spec, file, source.qualifiedName())) {
                KafkaLoader.read(onSpark, spec, reader, slice, writer::accept);
                staged = writer.finish();
            }
            // One corrupt record per partition: rejected with where it was, the others staged.
            assertThat(staged.rejected()).isEqualTo(3);
            assertThat(staged.rows()).isEqualTo(slice.records() - 3);
            assertThat(staged.rejects()).extracting(reject -> reject.get(5)).contains("not json 7", "not json 1007",
                    "not json 2007");
            List<List<Object>> rows = onSpark.query("SELECT count(*), count(DISTINCT id), sum(user_id), "
                    + "CAST(sum(amount) AS STRING), min(url) FROM " + file.read(onSpark.dialect())).values();
            long ids = 0;
            long users = 0;
            java.math.BigDecimal amounts = java.math.BigDecimal.ZERO;
            for (int partition = 0; partition < 3; partition++) {
                for (int i = 0; i < 400; i++) {
                    int id = partition * 1000 + i;
                    if (i != 7) {
                        ids++;
                        users += id % 13;
                        amounts = amounts.add(new java.math.BigDecimal(id + ".25"));
                    }
                }
            }
            long extra = slice.records() - 1200;
            assertThat(rows).containsExactly(Arrays.asList(ids + extra, ids + extra, users,
                    amounts.toPlainString(), "/p/0"));
        }
    }

    /**
     * The records of the slice as {@code partition:offset:value}, read through the session's engine by a reader of
     * its own, as each load has.
     */
    private static List<String> records(Session session, Source source, KafkaReader.Slice slice) {
        List<String> read = new ArrayList<>();
        KafkaSpec spec = (KafkaSpec) source.spec();
        try (KafkaReader reader = new KafkaReader(spec, source)) {
            KafkaLoader.read(session, spec, reader, slice, record -> read.add(record.partition() + ":"
                    + record.offset() + ":" + new String(record.value(), StandardCharsets.UTF_8)));
        }
        return read;
    }

    /** The records of each partition, in the order they were handed over. */
    private static Map<String, List<String>> perPartition(List<String> records) {
        Map<String, List<String>> partitions = new java.util.TreeMap<>();
        records.forEach(record -> partitions.computeIfAbsent(record.substring(0, record.indexOf(':')),
                key -> new ArrayList<>()).add(record));
        return partitions;
    }

    private static Source source(String name) {
        ProjectFixture project = ProjectFixture.at(dir.resolve(name));
        project.write("sluice.yml", """
                name: %s
                warehouse: target/w.duckdb
                sources:
                  raw.%s:
                    type: kafka
                    bootstrap_servers: %s
                    topic: %s
                    format: json
                    columns:
                      id: BIGINT
                      user_id: { type: INTEGER, path: user.id }
                      url: VARCHAR
                      amount: DECIMAL(10,2)
                    max_rejected_fraction: 0.5
                    retries: 1
                    timeout: 5 seconds
                """.formatted(name, name, KafkaBroker.bootstrapServers(), topic));
        project.write("models/" + name + "_count.sql", "SELECT count(*) AS n FROM raw." + name + "\n");
        return ProjectsWithEnvironment.read(project.root(), Map.of()).sources().get(0);
    }
}
