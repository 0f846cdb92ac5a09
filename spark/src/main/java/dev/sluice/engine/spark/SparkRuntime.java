package dev.sluice.engine.spark;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The one Spark application of this process: Spark allows one SparkContext per JVM, and starting one costs seconds,
 * so every engine opened in the process shares it (each engine and each of its sessions is a Spark session of its
 * own over it). It stops with the process.
 */
final class SparkRuntime {
    private SparkRuntime() {
    }

    /** The process's Spark session, started with {@code settings} when none runs yet. */
    static synchronized org.apache.spark.sql.classic.SparkSession root(SparkSettings settings) {
        SparkContext running = SparkSession.getDefaultSession().isDefined()
                ? SparkSession.getDefaultSession().get().sparkContext() : null;
        if (running != null && !running.master().equals(settings.master())) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot open the Spark engine on master %s: this process runs "
                    + "Spark on master %s already, and Spark allows one per process; use one master per process",
                    settings.master(), running.master());
        }
        SparkSession.Builder builder = SparkSession.builder().master(settings.master()).appName("sluice")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
                // Sluice's tables are small to medium per model: Spark's 200 shuffle partitions would be mostly empty
                .config("spark.sql.shuffle.partitions", String.valueOf(Math.max(2,
                        2 * Runtime.getRuntime().availableProcessors())));
        if (settings.master().startsWith("local")) {
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        for (Map.Entry<String, String> entry : settings.conf().entrySet()) {
            builder.config(entry.getKey(), entry.getValue());
        }
        try {
            return (org.apache.spark.sql.classic.SparkSession) builder.getOrCreate();
        } catch (Exception e) {
            throw new SluiceException(ErrorCode.RUN_FAILED, e, "Cannot start Spark on master %s: %s; check engine: "
                    + "master and conf in sluice.yml (or --master)", settings.master(), SparkFailures.message(e));
        }
    }
}
