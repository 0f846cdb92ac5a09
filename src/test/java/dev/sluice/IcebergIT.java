package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lake outputs written as Iceberg tables ({@code storage: { format: iceberg }}), driven from a model folder. */
class IcebergIT {
    @TempDir
    Path dir;

    @Test
    void aFullBuildWritesAnIcebergTableReadThroughTheModelsView() {
        Path project = ProjectFixture.copy("iceberg_orders", dir).root();
        Sluice sluice = Sluice.open(project);
        RunResult run = sluice.run(RunOptions.defaults());
        assertThat(run.models()).allSatisfy(m -> assertThat(m.error()).isNull());
        assertThat(sluice.query("SELECT count(*) FROM main.orders_full").rows()).containsExactly(List.of(5L));
        System.out.println(sluice.query("SELECT * FROM sluice.iceberg_snapshots").rows());
        System.out.println(sluice.query("SELECT * FROM main.orders_full ORDER BY id").rows());
    }
}
