package dev.sluice.engine.spark;

import dev.sluice.connect.NativeReads;
import dev.sluice.engine.Session;

/**
 * Spark's own readers of sources ({@link NativeReads}): a JDBC source's planned queries read by Spark's JDBC reader,
 * one task (and connection) per range ({@link SparkJdbc}), and a Kafka slice read by Spark's Kafka source in batch
 * mode ({@link SparkKafka}). Found by {@link java.util.ServiceLoader}; stateless.
 */
public final class SparkSourceReads implements NativeReads {

    @Override
    public boolean reads(Session session) {
        return session instanceof SparkSqlSession;
    }

    @Override
    public boolean readsJdbc() {
        return true;
    }

    @Override
    public void jdbc(Session session, JdbcRead read, String view) {
        SparkJdbc.view(((SparkSqlSession) session).spark(), read, view);
    }

    @Override
    public boolean readsKafka() {
        return true;
    }

    @Override
    public void kafka(Session session, KafkaRead read, KafkaRecords records) {
        SparkKafka.read(((SparkSqlSession) session).spark(), read, records);
    }
}
