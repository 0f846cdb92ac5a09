package dev.sluice.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.RunListener;
import dev.sluice.RunOptions;
import dev.sluice.SluiceException;
import dev.sluice.project.Defaults;
import dev.sluice.project.Project;
import dev.sluice.project.Secret;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineSecretsTest {
    @TempDir
    Path dir;

    @Test
    void anErrorOfARunOrTestNeverQuotesASecret() {
        // the warehouse folder comes from the environment; a locked warehouse's error names its path
        Path warehouse = dir.resolve("Zq9'vault").resolve("w.duckdb");
        Project project = new Project(dir, "p", warehouse, dev.sluice.project.CatalogSpec.WAREHOUSE, Map.of(), List.of(), Defaults.standard(),
                List.of(), List.of(new Secret("VAULT", "Zq9'vault")), Set.of(), List.of());
        Pipeline pipeline = new Pipeline(project, "test");

        try (WarehouseLock lock = WarehouseLock.acquire(warehouse)) {
            SluiceException run = catchThrowableOfType(SluiceException.class,
                    () -> pipeline.run(RunOptions.defaults(), "", RunListener.NONE));
            SluiceException test = catchThrowableOfType(SluiceException.class,
                    () -> pipeline.test(RunOptions.defaults(), "", RunListener.NONE));

            assertThat(run.getMessage()).startsWith("Cannot run: warehouse " + dir.resolve("${env:VAULT}")
                    .resolve("w.duckdb") + " is in use by another run").doesNotContain("Zq9");
            assertThat(test.getMessage()).isEqualTo(run.getMessage());
        }
    }
}
