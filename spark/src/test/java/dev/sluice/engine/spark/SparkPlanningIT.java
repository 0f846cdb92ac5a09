package dev.sluice.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ErrorCode;
import dev.sluice.ProjectFixture;
import dev.sluice.RunOptions;
import dev.sluice.SluiceException;
import dev.sluice.project.EngineChoice;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectReader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project chooses Spark in sluice.yml ({@code engine: {type: spark, master, conf}}) or on the command line, and
 * planning checks that Spark can run every model as Calcite prints it: a construct it cannot run is an error located
 * in the model's file before anything runs. Planning starts no Spark application.
 */
class SparkPlanningIT {
    @TempDir
    Path dir;

    @Test
    void readsTheSparkEngineWithItsMasterAndConf() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                engine:
                  type: spark
                  master: local[3]
                  conf: { spark.sql.shuffle.partitions: 3, spark.executor.memory: 2g }
                """);

        Project project = ProjectReader.read(dir, Map.of());

        assertThat(project.engine()).isEqualTo("spark");
        SparkSettings settings = SparkSettings.of(project.engineSettings());
        assertThat(settings.master()).isEqualTo("local[3]");
        assertThat(settings.conf()).containsEntry("spark.sql.shuffle.partitions", "3")
                .containsEntry("spark.executor.memory", "2g");
        Project chosen = ProjectReader.read(dir, Map.of(), new EngineChoice(null, Map.of("master", "spark://h:7077")));
        assertThat(SparkSettings.of(chosen.engineSettings()).master()).isEqualTo("spark://h:7077");
    }

    @Test
    void theRetailExamplePlansOnSpark() {
        ProjectFixture retail = ProjectFixture.example("retail", dir);
        retail.replace("sluice.yml", "name: retail\n", "name: retail\nengine: spark\n");

        assertThat(retail.open().plan(RunOptions.defaults())).isNotEmpty();
    }

    @Test
    void aFunctionSparkLacksIsALocatedErrorAtPlanTime() {
        ProjectFixture retail = ProjectFixture.example("retail", dir);
        retail.replace("sluice.yml", "name: retail\n", "name: retail\nengine: spark\n");
        retail.write("models/marts/order_months.sql", """
                SELECT order_id,
                       strftime(order_date, '%Y-%m') AS month
                FROM stg_orders
                """);

        SluiceException e = ProjectFixture.failure(() -> retail.open().plan(RunOptions.defaults()));

        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INVALID);
        assertThat(e.getMessage()).isEqualTo("models/marts/order_months.sql:2:8: Cannot run model order_months on "
                + "engine spark: function strftime is not a Spark SQL function; write it in SQL the engine runs too, "
                + "or run the project on engine duckdb");
    }
}
