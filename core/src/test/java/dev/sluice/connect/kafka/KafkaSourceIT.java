package dev.sluice.connect.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ModelStatus;
import dev.sluice.ProjectFixture;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.SourceResult;
import dev.sluice.kafka.KafkaBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kafka source against a real broker started in this JVM ({@link KafkaBroker}): each run loads exactly the
 * records produced since the last one (compared with what was produced by {@code EXCEPT ALL} both ways), corrupt
 * records go to the rejects with their partition and offset, and the offsets commit with the rows, so a load that
 * dies or loses its broker loads nothing and the next run is exact.
 */
class KafkaSourceIT {
    @TempDir
    Path dir;

    /** What was produced to the topic, as rows of raw.clicks: (id, user_id, url, amount, clicked_at). */
    private final List<String> produced = new ArrayList<>();

    @AfterEach
    void disarm() {
        KafkaFaults.disarm(KafkaFaults.AFTER_BATCH);
        KafkaFaults.disarm(KafkaFaults.BEFORE_COMMIT);
    }

    private ProjectFixture project(String topic, String extra) {
        ProjectFixture project = ProjectFixture.at(dir.resolve("clicks"));
        project.files("sluice.yml", """
                name: clicks
                warehouse: target/clicks.duckdb
                sources:
                  raw.clicks:
                    type: kafka
                    bootstrap_servers: %s
                    topic: %s
                    format: json
                    columns:
                      id: BIGINT
                      user_id: { type: INTEGER, path: user.id }
                      url: VARCHAR
                      amount: DECIMAL(10,2)
                      clicked_at: TIMESTAMP
                    retries: 1
                    timeout: 3 seconds
                    backoff: 100 ms
                    quality:
                      - not_null: id
                %s
                  raw.pages:
                    type: files
                    path: data/pages.csv
                    format: csv
                """.formatted(KafkaBroker.bootstrapServers(), topic, extra),
                "data/pages.csv", "url,title\n/a,A\n/b,B\n",
                "models/clicks_seen.sql", """
                /*---
                materialized: incremental
                incremental: { strategy: append }
                ---*/
                SELECT id, user_id, url, amount, clicked_at FROM raw.clicks
                """,
                "models/page_titles.sql", "SELECT url, title FROM raw.pages\n");
        return project;
    }

    /** Produces {@code count} valid records to a partition, ids from {@code first}, remembering them. */
    private void produce(String topic, int partition, int first, int count) {
        List<String> values = new ArrayList<>();
        for (int id = first; id < first + count; id++) {
            int user = id % 7;
            String amount = String.format(Locale.ROOT, "%d.%02d", id % 100, id % 13);
            String time = String.format(Locale.ROOT, "2026-03-01 10:%02d:%02d", id / 60 % 60, id % 60);
            values.add(String.format(Locale.ROOT, "{\"id\": %d, \"user\": {\"id\": %d}, \"url\": \"/p/%d\", "
                    + "\"amount\": %s, \"clicked_at\": \"%s\"}", id, user, id, amount, time.replace(' ', 'T')));
            produced.add(String.format(Locale.ROOT, "(%d, %d, '/p/%d', %s, TIMESTAMP '%s')", id, user, id, amount,
                    time));
        }
        KafkaBroker.produce(topic, partition, values);
    }

    private static long count(Sluice sluice, String sql) {
        return ((Number) sluice.query(sql).rows().get(0).get(0)).longValue();
    }

    /** The warehouse holds exactly what was produced: EXCEPT ALL both ways is empty. */
    private void assertExact(Sluice sluice, String relation) {
        String expected = produced.isEmpty() ? "(SELECT * FROM " + relation + " LIMIT 0)"
                : "(SELECT * FROM (VALUES " + String.join(", ", produced) + "))";
        String loaded = "(SELECT id, user_id, url, amount, clicked_at FROM " + relation + ")";
        assertThat(count(sluice, "SELECT count(*) FROM (" + loaded + " EXCEPT ALL " + expected + ")"))
                .as("rows of %s not produced", relation).isZero();
        assertThat(count(sluice, "SELECT count(*) FROM (" + expected + " EXCEPT ALL " + loaded + ")"))
                .as("produced rows missing from %s", relation).isZero();
    }

    private static String offsets(Sluice sluice) {
        return sluice.query("SELECT \"partition\", next_offset FROM sluice.stream_offsets ORDER BY 1").rows()
                .stream().map(row -> row.get(0) + ":" + row.get(1)).collect(Collectors.joining(","));
    }

    @Test
    void eachRunLoadsExactlyTheNewRecordsIncludingNewPartitionsAndKeepsCorruptOnesAsRejects() {
        String topic = KafkaBroker.newTopic("clicks", 2);
        ProjectFixture project = project(topic, "    max_rejected_fraction: 0.1");
        produce(topic, 0, 0, 150);
        produce(topic, 1, 150, 50);

        RunResult first = project.run();
        assertThat(first.succeeded()).isTrue();
        assertThat(first.sources()).filteredOn(s -> s.source().equals("raw.clicks")).singleElement()
                .satisfies(s -> assertThat(s.rows()).isEqualTo(200));
        Sluice sluice = project.open();
        assertExact(sluice, "raw.clicks");
        assertExact(sluice, "main.clicks_seen");
        assertThat(offsets(sluice)).isEqualTo("0:150,1:50");

        // New records, two of them corrupt (not JSON; a text where a number belongs), and a new partition.
        produce(topic, 1, 200, 30);
        KafkaBroker.produce(topic, 0, List.of("not json at all", "{\"id\": \"twelve\"}"));
        KafkaBroker.addPartitions(topic, 3);
        produce(topic, 2, 300, 40);
        RunResult second = project.run();
        assertThat(second.succeeded()).isTrue();
        SourceResult clicks = second.sources().stream().filter(s -> s.source().equals("raw.clicks")).findFirst()
                .orElseThrow();
        assertThat(clicks.rows()).isEqualTo(70);
        assertThat(clicks.rejected()).isEqualTo(2);
        // The incremental model read only the new records.
        assertThat(second.model("clicks_seen").orElseThrow().rows()).isEqualTo(70L);
        assertExact(sluice, "raw.clicks");
        assertExact(sluice, "main.clicks_seen");
        assertThat(offsets(sluice)).isEqualTo("0:152,1:80,2:40");
        assertThat(sluice.query("SELECT file, line, column_name, error_type, csv_line FROM sluice.rejects WHERE "
                + "source = 'raw.clicks' ORDER BY line").rows()).containsExactly(
                        java.util.Arrays.asList(topic + "/0", 150L, null, "INVALID_JSON", "not json at all"),
                        List.of(topic + "/0", 151L, "id", "CONVERSION", "{\"id\": \"twelve\"}"));
        // Run lineage: the topic in OpenLineage naming, with the offsets before and after the slice read.
        String inputs = sluice.query("SELECT inputs FROM sluice.lineage_runs WHERE run_id = " + second.runId()
                + " AND model = 'main.clicks_seen'").rows().get(0).get(0).toString();
        assertThat(inputs).contains("\"watermark_from\":\"0:150,1:50,2:0\"")
                .contains("\"watermark_to\":\"0:152,1:80,2:40\"");

        // Nothing new: nothing loaded, the model up to date.
        RunResult third = project.run();
        assertThat(third.sources()).filteredOn(s -> s.source().equals("raw.clicks")).singleElement()
                .satisfies(s -> assertThat(s.rows()).isZero());
        assertThat(third.model("clicks_seen").orElseThrow().status()).isEqualTo(ModelStatus.UP_TO_DATE);
        assertExact(sluice, "raw.clicks");
    }

    @Test
    void aLoadThatDiesBeforeItsCommitLoadsNothingAndTheRerunIsExact() {
        String topic = KafkaBroker.newTopic("crash", 2);
        ProjectFixture project = project(topic, "");
        produce(topic, 0, 0, 40);
        produce(topic, 1, 40, 40);
        assertThat(project.run().succeeded()).isTrue();
        produce(topic, 0, 80, 25);

        KafkaFaults.arm(KafkaFaults.BEFORE_COMMIT, source -> {
            throw new IllegalStateException("injected crash before the commit of " + source);
        });
        assertThatThrownBy(project::run).hasMessageContaining("injected crash before the commit of raw.clicks");
        KafkaFaults.disarm(KafkaFaults.BEFORE_COMMIT);
        // The staging file of the dead load is deleted all the same.
        assertThat(project.root().resolve("target/kafka")).isEmptyDirectory();
        Sluice sluice = project.open();
        // Nothing of the dead load: the rows and the offsets are the first run's.
        assertThat(count(sluice, "SELECT count(*) FROM raw.clicks")).isEqualTo(80);
        assertThat(offsets(sluice)).isEqualTo("0:40,1:40");

        RunResult rerun = project.run();
        assertThat(rerun.succeeded()).isTrue();
        assertThat(rerun.model("clicks_seen").orElseThrow().rows()).isEqualTo(25L);
        assertExact(sluice, "raw.clicks");
        assertExact(sluice, "main.clicks_seen");
        assertThat(offsets(sluice)).isEqualTo("0:65,1:40");
    }

    @Test
    void tooManyCorruptRecordsFailTheLoadWithTheRejectsKeptAndTheOffsetsUnmoved() {
        String topic = KafkaBroker.newTopic("corrupt", 1);
        ProjectFixture project = project(topic, "    max_rejected_fraction: 0.1");
        produce(topic, 0, 0, 10);
        KafkaBroker.produce(topic, 0, List.of("[1, 2]", "{\"id\": 1, \"clicked_at\": \"yesterday\"}"));

        RunResult run = project.run();
        SourceResult clicks = run.sources().stream().filter(s -> s.source().equals("raw.clicks")).findFirst()
                .orElseThrow();
        assertThat(clicks.loaded()).isFalse();
        assertThat(clicks.error()).startsWith("Cannot load source raw.clicks (").contains("sluice.yml")
                .contains("2 of 12 records (16.67%) of topic " + topic + " are corrupt, above max_rejected_fraction "
                        + "0.1").contains("fix the producer or raise max_rejected_fraction");
        assertThat(run.model("clicks_seen").orElseThrow().status()).isEqualTo(ModelStatus.SKIPPED);
        assertThat(run.model("page_titles").orElseThrow().status()).isEqualTo(ModelStatus.SUCCESS);
        Sluice sluice = project.open();
        assertThat(offsets(sluice)).isEmpty();
        assertThat(sluice.query("SELECT line, column_name, error_type FROM sluice.rejects ORDER BY line").rows())
                .containsExactly(java.util.Arrays.asList(10L, null, "NOT_AN_OBJECT"),
                        List.of(11L, "clicked_at", "CONVERSION"));

        // The producer's mistake is tolerated once the threshold allows it: the same records load, exactly.
        project.replace("sluice.yml", "max_rejected_fraction: 0.1", "max_rejected_fraction: 0.2");
        RunResult rerun = project.run();
        assertThat(rerun.succeeded()).isTrue();
        assertExact(sluice, "raw.clicks");
        assertThat(offsets(sluice)).isEqualTo("0:12");
    }

    @Test
    void aStoppedBrokerIsRetriedThenFailsTheSourceAndItsModelsWhileOtherBranchesBuild() {
        String topic = KafkaBroker.newTopic("down", 1);
        ProjectFixture project = project(topic, "");
        produce(topic, 0, 0, 10);
        KafkaBroker.stop();
        RunResult run;
        try {
            run = project.run();
        } finally {
            KafkaBroker.start();
        }
        SourceResult clicks = run.sources().stream().filter(s -> s.source().equals("raw.clicks")).findFirst()
                .orElseThrow();
        assertThat(clicks.loaded()).isFalse();
        assertThat(clicks.error()).startsWith("Cannot load source raw.clicks (").contains("sluice.yml")
                .contains("from topic " + topic + " on " + KafkaBroker.bootstrapServers())
                .contains("Timeout").contains("(after 1 retries)");
        assertThat(run.model("clicks_seen").orElseThrow().status()).isEqualTo(ModelStatus.SKIPPED);
        assertThat(run.model("page_titles").orElseThrow().status()).isEqualTo(ModelStatus.SUCCESS);

        RunResult next = project.run();
        assertThat(next.succeeded()).isTrue();
        assertExact(project.open(), "raw.clicks");
    }

    @Test
    void aBrokerRestartedMidReadIsReadOnFromWhereTheReadWas() {
        String topic = KafkaBroker.newTopic("restart", 2);
        ProjectFixture project = project(topic, "    properties: { max.poll.records: 50 }");
        produce(topic, 0, 0, 400);
        produce(topic, 1, 400, 400);
        java.util.concurrent.atomic.AtomicInteger batches = new java.util.concurrent.atomic.AtomicInteger();
        KafkaFaults.arm(KafkaFaults.AFTER_BATCH, source -> {
            if (batches.incrementAndGet() == 3) {
                KafkaBroker.stop();
                KafkaBroker.start();
            }
        });
        RunResult run = project.run();
        assertThat(batches.get()).isGreaterThan(3);
        assertThat(run.succeeded()).isTrue();
        Sluice sluice = project.open();
        // The slice's ends are the topic's end offsets when the read began: 400 records in each partition were on
        // the broker (a record lost by the producer would show here), and every one of them was loaded (a record
        // skipped by the reader would show in the count, with the offsets right).
        assertThat(offsets(sluice)).isEqualTo("0:400,1:400");
        assertThat(run.sources()).filteredOn(s -> s.source().equals("raw.clicks")).singleElement()
                .satisfies(s -> assertThat(s.rows()).isEqualTo(800));
        assertExact(sluice, "raw.clicks");
        assertExact(sluice, "main.clicks_seen");
    }

    @Test
    void aBrokerGoneMidReadFailsTheLoadWithNothingPartialAndTheNextRunIsExact() {
        String topic = KafkaBroker.newTopic("gone", 1);
        // Small fetches (the producer's batches are small too), so that most of the slice is still on the broker.
        ProjectFixture project = project(topic, "    properties: { max.poll.records: 10, max.partition.fetch.bytes: "
                + "1024, fetch.max.bytes: 1024 }");
        produce(topic, 0, 0, 300);
        assertThat(project.run().succeeded()).isTrue();
        produce(topic, 0, 300, 300);
        java.util.concurrent.atomic.AtomicInteger batches = new java.util.concurrent.atomic.AtomicInteger();
        KafkaFaults.arm(KafkaFaults.AFTER_BATCH, source -> {
            if (batches.incrementAndGet() == 2) {
                KafkaBroker.stop();
            }
        });
        RunResult run;
        try {
            run = project.run();
        } finally {
            KafkaFaults.disarm(KafkaFaults.AFTER_BATCH);
            KafkaBroker.start();
        }
        SourceResult clicks = run.sources().stream().filter(s -> s.source().equals("raw.clicks")).findFirst()
                .orElseThrow();
        assertThat(clicks.loaded()).isFalse();
        assertThat(clicks.error()).startsWith("Cannot load source raw.clicks (")
                .contains("no record arrived from " + KafkaBroker.bootstrapServers() + " for PT3S with ")
                .containsPattern(" [1-9][0-9]* of 300 records of the slice still to read");
        Sluice sluice = project.open();
        assertThat(count(sluice, "SELECT count(*) FROM raw.clicks")).isEqualTo(300);
        assertThat(offsets(sluice)).isEqualTo("0:300");

        RunResult next = project.run();
        assertThat(next.succeeded()).isTrue();
        assertThat(next.model("clicks_seen").orElseThrow().rows()).isEqualTo(300L);
        assertExact(sluice, "raw.clicks");
        assertExact(sluice, "main.clicks_seen");
    }

    @Test
    void planShowsWaitingRecordsAndALatestStartLoadsOnlyWhatComesAfterTheFirstRun() {
        String topic = KafkaBroker.newTopic("latest", 2);
        ProjectFixture project = project(topic, "    start: latest");
        KafkaBroker.produce(topic, 0, List.of("{\"id\": -1}", "{\"id\": -2}"));
        Sluice sluice = project.open();
        assertThat(sluice.pendingChanges(RunOptions.defaults()))
                .filteredOn(change -> change.source().equals("raw.clicks")).singleElement()
                .extracting(dev.sluice.SourceChange::summary).asString()
                .isEqualTo("0 records after the stored offsets in 2 partitions of topic " + topic + " (first load)");

        RunResult first = project.run();
        assertThat(first.succeeded()).isTrue();
        assertThat(count(sluice, "SELECT count(*) FROM raw.clicks")).isZero();
        // Every partition starts at its end, the empty one too.
        assertThat(offsets(sluice)).isEqualTo("0:2,1:0");

        produce(topic, 1, 0, 5);
        produce(topic, 0, 5, 3);
        assertThat(sluice.pendingChanges(RunOptions.defaults()))
                .filteredOn(change -> change.source().equals("raw.clicks")).singleElement()
                .extracting(dev.sluice.SourceChange::summary).asString()
                .isEqualTo("8 records after the stored offsets in 2 partitions of topic " + topic);
        assertThat(project.run().succeeded()).isTrue();
        assertExact(sluice, "raw.clicks");
        assertThat(offsets(sluice)).isEqualTo("0:5,1:5");
    }

    @Test
    void aMissingTopicAndACredentialWrittenInTheFileFailTheSourceWithTheReason() {
        String missing = "never_created_" + System.nanoTime();
        ProjectFixture project = project(missing, "");
        RunResult run = project.run();
        assertThat(run.sources()).filteredOn(s -> s.source().equals("raw.clicks")).singleElement()
                .satisfies(clicks -> assertThat(clicks.error()).startsWith("Cannot load source raw.clicks (")
                        .contains("from topic " + missing + " on " + KafkaBroker.bootstrapServers() + ": topic '"
                                + missing + "' does not exist on " + KafkaBroker.bootstrapServers()
                                + "; create it, or fix topic: in sluice.yml"));
        assertThat(project.open().pendingChanges(RunOptions.defaults()))
                .filteredOn(change -> change.source().equals("raw.clicks")).singleElement()
                .extracting(dev.sluice.SourceChange::summary).asString()
                .startsWith("cannot reach topic " + missing + " on " + KafkaBroker.bootstrapServers() + ": ");

        String topic = KafkaBroker.newTopic("secret", 1);
        ProjectFixture written = project(topic, "    properties: { ssl.truststore.password: hunter2-in-the-file }");
        RunResult refused = written.run();
        assertThat(refused.sources()).filteredOn(s -> s.source().equals("raw.clicks")).singleElement()
                .satisfies(clicks -> assertThat(clicks.error()).startsWith("Cannot load source raw.clicks (")
                        .endsWith("properties ssl.truststore.password holds a secret written in sluice.yml; set it "
                                + "from the environment with ${env:NAME}")
                        .doesNotContain("hunter2"));
        assertThat(count(written.open(), "SELECT count(*) FROM sluice.source_loads WHERE error LIKE '%hunter2%'"))
                .isZero();
    }

    @Test
    void aFailedSourceGateLoadsNothingAndMovesNoOffset() {
        String topic = KafkaBroker.newTopic("gate", 1);
        ProjectFixture project = project(topic, "");
        produce(topic, 0, 0, 5);
        assertThat(project.run().succeeded()).isTrue();
        KafkaBroker.produce(topic, 0, List.of("{\"url\": \"/no-id\"}"));
        produce(topic, 0, 5, 2);

        RunResult run = project.run();
        assertThat(run.sources()).filteredOn(s -> s.source().equals("raw.clicks")).singleElement()
                .satisfies(clicks -> {
                    assertThat(clicks.loaded()).isFalse();
                    assertThat(clicks.error()).startsWith("Cannot load source raw.clicks (").contains("not_null");
                });
        Sluice sluice = project.open();
        assertThat(count(sluice, "SELECT count(*) FROM raw.clicks")).isEqualTo(5);
        assertThat(offsets(sluice)).isEqualTo("0:5");
    }
}
