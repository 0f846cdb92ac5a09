package dev.sluice.spark.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.connect.jdbc.JdbcStages;
import dev.sluice.connect.kafka.KafkaReads;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Engines;
import dev.sluice.engine.Session;
import dev.sluice.kafka.KafkaBroker;
import dev.sluice.postgres.PostgresServer;
import dev.sluice.project.ProjectsWithEnvironment;
import dev.sluice.project.Source;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sources read by Spark's executors on a standalone cluster (a master and two workers on loopback,
 * {@link StandaloneCluster}), not in the driver: a partitioned JDBC read from PostgreSQL and a Kafka slice, each
 * range or partition a task, the tasks on both executors, the rows those of the source.
 */
class SourcesOnClusterIT {
    @TempDir
    static Path dir;
    static StandaloneCluster cluster;
    static Engine spark;
    static Session session;
    static String database;
    static final Set<String> TASK_EXECUTORS = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void clusterAndSources() {
        database = PostgresServer.newDatabase("cluster_jdbc");
        try (Connection connection = PostgresServer.connect(database); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders AS SELECT i AS id, 'customer ' || (i % 7) AS customer, "
                    + "CAST(i * 1.25 AS numeric(12,2)) AS amount FROM generate_series(1, 20000) AS i");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, 1);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("master", cluster.masterUrl());
        cluster.applicationConf(2).forEach((key, value) -> settings.put("conf." + key, value));
        spark = Engines.factory("spark").open(EngineOptions.inMemory(List.of(dir)).withSettings(settings));
        session = spark.session();
        SparkSession.getDefaultSession().get().sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd task) {
                TASK_EXECUTORS.add(task.taskInfo().executorId());
            }
        });
    }

    @AfterAll
    static void stop() {
        if (session != null) {
            session.close();
        }
        if (spark != null) {
            spark.close();
        }
        // the process's one Spark application, which the engine shares and leaves running: stopped before its cluster
        if (SparkSession.getDefaultSession().isDefined()) {
            SparkSession.getDefaultSession().get().stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void noTaskYet() {
        TASK_EXECUTORS.clear();
    }

    @Test
    void theExecutorsReadTheRangesOfAPartitionedJdbcSource() {
        Source source = source("orders", "    type: jdbc\n    url: " + PostgresServer.url(database)
                + "\n    user: postgres\n    table: orders\n    partitions: 4\n    partition_column: id\n");
        String view = JdbcStages.stage(session, source, null);
        assertThat(session.query("SELECT count(*), count(DISTINCT id), CAST(min(id) AS BIGINT), "
                + "CAST(max(id) AS BIGINT), CAST(sum(amount) AS STRING), count(DISTINCT task) FROM (SELECT *, "
                + "spark_partition_id() AS task FROM " + view + ")").values())
                .containsExactly(List.of(20000L, 20000L, 1L, 20000L, "250012500.00", 4L));
        assertThat(TASK_EXECUTORS).hasSize(2).doesNotContain("driver");
    }

    @Test
    void theExecutorsReadTheKafkaSlice() throws Exception {
        String topic = KafkaBroker.newTopic("cluster_clicks", 2);
        for (int partition = 0; partition < 2; partition++) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                values.add("{\"id\": " + (partition * 1000 + i) + "}");
            }
            KafkaBroker.produce(topic, partition, values);
        }
        Source source = source("clicks", "    type: kafka\n    bootstrap_servers: " + KafkaBroker.bootstrapServers()
                + "\n    topic: " + topic + "\n    format: json\n    columns:\n      id: BIGINT\n");
        List<String> records = KafkaReads.firstSlice(session, source);
        assertThat(records).hasSize(600).contains("0:0:{\"id\": 0}", "0:299:{\"id\": 299}", "1:0:{\"id\": 1000}",
                "1:299:{\"id\": 1299}");
        assertThat(TASK_EXECUTORS).isNotEmpty().doesNotContain("driver");
    }

    private static Source source(String name, String settings) {
        ProjectFixture project = ProjectFixture.at(dir.resolve(name));
        project.write("sluice.yml", "name: " + name + "\nwarehouse: target/w.duckdb\nsources:\n  raw." + name + ":\n"
                + settings);
        project.write("models/" + name + "_count.sql", "SELECT count(*) AS n FROM raw." + name + "\n");
        return ProjectsWithEnvironment.read(project.root(), Map.of()).sources().get(0);
    }
}
