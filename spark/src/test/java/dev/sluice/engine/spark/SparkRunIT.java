package dev.sluice.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ErrorCode;
import dev.sluice.ProjectFixture;
import dev.sluice.SluiceException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole run on Spark needs the run catalog in a database of its own (Spark has no transactions for it): until the
 * shared catalog lands, a run says so when it opens the catalog, before anything is built.
 */
class SparkRunIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void localTwoCores() {
        System.setProperty(SparkSettings.MASTER_PROPERTY, "local[2]");
    }

    @Test
    void aRunOnSparkRefusesToKeepTheCatalogInTheSparkWarehouse() {
        ProjectFixture retail = ProjectFixture.example("retail", dir);
        retail.replace("sluice.yml", "name: retail\n", "name: retail\nengine: spark\n");

        SluiceException e = ProjectFixture.failure(retail::run);

        assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
        assertThat(e.getMessage()).isEqualTo("Cannot keep Sluice's catalog in the Spark warehouse "
                + retail.root().resolve("target/retail.duckdb").toAbsolutePath().normalize() + ": the catalog needs "
                + "transactions across statements, which Spark has not; runs on Spark need the catalog in a database "
                + "of its own (catalog: in sluice.yml, the shared catalog); until then run the project on engine "
                + "duckdb");
    }
}
