package dev.sluice.engine.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.connect.NativeReads;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.classic.SparkSession;

/**
 * A Kafka slice ({@link NativeReads.KafkaRead}) read by Spark's Kafka source in batch mode: the slice's offsets are
 * its {@code startingOffsets} and {@code endingOffsets} per partition (the checkpoint stays Sluice's, in its catalog),
 * committed records only, and a record gone from the topic fails the read ({@code failOnDataLoss}). Each Kafka
 * partition is a task of an executor; the records come back to the connector in offset order per partition.
 * Stateless.
 */
final class SparkKafka {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SparkKafka() {
    }

    /** Hands every record of the slice to {@code records}. */
    static void read(SparkSession spark, NativeReads.KafkaRead read, NativeReads.KafkaRecords records) {
        Map<Integer, Long> from = new TreeMap<>();
        Map<Integer, Long> to = new TreeMap<>();
        read.to().forEach((partition, end) -> {
            long start = read.from().get(partition);
            if (end > start) {
                from.put(partition, start);
                to.put(partition, end);
            }
        });
        if (to.isEmpty()) {
            return;
        }
        DataFrameReader reader = spark.read().format("kafka");
        // the source's consumer settings first: what Sluice sets below is not the user's to change
        read.properties().forEach((key, value) -> reader.option("kafka." + key, value));
        reader.option("kafka.bootstrap.servers", read.bootstrapServers())
                .option("kafka.isolation.level", "read_committed")
                .option("assign", assign(read.topic(), to))
                .option("startingOffsets", offsets(read.topic(), from))
                .option("endingOffsets", offsets(read.topic(), to))
                .option("failOnDataLoss", "true");
        try {
            Iterator<Row> rows = reader.load().selectExpr("partition", "offset", "value").toLocalIterator();
            while (rows.hasNext()) {
                Row row = rows.next();
                records.accept(row.getInt(0), row.getLong(1), (byte[]) row.get(2));
            }
        } catch (SluiceException e) {
            throw e;
        } catch (Exception e) {
            throw new SluiceException(ErrorCode.RUN_FAILED, e, "Spark's Kafka source failed to read topic %s on %s: "
                    + "%s", read.topic(), read.bootstrapServers(), SparkFailures.message(e));
        }
    }

    /** {@code {"topic":[0,1]}}: the partitions Spark reads. */
    static String assign(String topic, Map<Integer, Long> partitions) {
        ObjectNode json = JSON.createObjectNode();
        partitions.keySet().forEach(json.putArray(topic)::add);
        return json.toString();
    }

    /** {@code {"topic":{"0":12,"1":40}}}: an offset per partition. */
    static String offsets(String topic, Map<Integer, Long> offsets) {
        ObjectNode json = JSON.createObjectNode();
        ObjectNode partitions = json.putObject(topic);
        offsets.forEach((partition, offset) -> partitions.put(String.valueOf(partition), offset));
        return json.toString();
    }
}
