package dev.sluice.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module's class path holds Sluice, Spark and Iceberg's Spark runtime together: Iceberg's plain jars, which Sluice
 * brings, would split Iceberg's classes between two Parquets and fail the first write (see pom.xml).
 */
class SparkClasspathTest {
    @Test
    void sparkWritesAndReadsAnIcebergTableBesideSluice(@TempDir Path lake) {
        assertThat(Sluice.class).isNotNull();
        SparkSession spark = SparkSession.builder().master("local[2]").appName("classpath")
                .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
                .config("spark.sql.catalog.lake", "org.apache.iceberg.spark.SparkCatalog")
                .config("spark.sql.catalog.lake.type", "hadoop")
                .config("spark.sql.catalog.lake.warehouse", lake.toString())
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            spark.sql("CREATE TABLE lake.db.t (id BIGINT) USING iceberg");
            spark.sql("INSERT INTO lake.db.t VALUES (1), (2)");
            assertThat(spark.sql("SELECT count(*), sum(id) FROM lake.db.t").collectAsList().get(0).toString())
                    .isEqualTo("[2,3]");
        } finally {
            spark.stop();
        }
    }
}
