package dev.sluice.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectTemplateTest {
    @TempDir
    Path dir;

    @Test
    void writesAPipelineThatReadsBackWithoutProblems() {
        Path folder = dir.resolve("my shop");

        ProjectTemplate.write(folder);
        Project project = ProjectReader.read(folder, Map.of(), Map.of());

        assertThat(project.name()).isEqualTo("my_shop");
        assertThat(project.warehouse()).isEqualTo(folder.toAbsolutePath().resolve("target/my_shop.duckdb"));
        assertThat(project.vars()).containsEntry("min_amount", 10L);
        assertThat(project.models()).extracting(Model::name).containsExactly("daily_revenue", "returned_orders",
                "returns_log", "stg_orders");
        Model staging = project.model("stg_orders").orElseThrow();
        assertThat(staging.relativeFile()).isEqualTo(Path.of("models/staging/stg_orders.sql"));
        assertThat(staging.materialized()).isEqualTo(Materialization.VIEW);
        assertThat(staging.sql()).contains("AND amount >= 10").doesNotContain("${");
        Model mart = project.model("daily_revenue").orElseThrow();
        assertThat(mart.relativeFile()).isEqualTo(Path.of("models/marts/daily_revenue.sql"));
        assertThat(mart.materialized()).isEqualTo(Materialization.TABLE);
        assertThat(mart.sql()).contains("FROM stg_orders").contains("GROUP BY order_date");

        Source orders = project.sources().get(0);
        assertThat(orders.qualifiedName()).isEqualTo("raw.orders");
        SourceSpec.Synthetic synthetic = (SourceSpec.Synthetic) orders.spec();
        assertThat(synthetic.rows()).isEqualTo(1000);
        assertThat(synthetic.columns()).extracting(SourceSpec.SyntheticColumn::name)
                .containsExactly("order_id", "customer_id", "amount", "order_date", "status");
        assertThat(synthetic.columns()).extracting(SourceSpec.SyntheticColumn::generator)
                .containsExactly("sequence", "uniform", "uniform", "date", "choice");
        assertThat(Files.exists(folder.resolve(".gitignore"))).isTrue();
    }

    @Test
    void avoidsAWarehouseNamedLikeASchema() {
        Path folder = dir.resolve("raw");

        ProjectTemplate.write(folder);
        Project project = ProjectReader.read(folder, Map.of(), Map.of());

        assertThat(project.warehouse().getFileName()).hasToString("raw_warehouse.duckdb");
        assertThat(ProjectTemplate.sluiceYml("Main")).contains("warehouse: 'target/Main_warehouse.duckdb'");
    }

    @Test
    void quotesNamesThatYamlWouldReadAsOtherTypes() {
        Path folder = dir.resolve("true");

        ProjectTemplate.write(folder);

        assertThat(ProjectReader.read(folder, Map.of(), Map.of()).name()).isEqualTo("true");
    }

    @Test
    void makesAProjectNameOfAnyFolderName() {
        assertThat(ProjectTemplate.projectName(Path.of("/x/.hidden"))).isEqualTo("pipeline.hidden");
        assertThat(ProjectTemplate.projectName(Path.of("/"))).isEqualTo("pipeline");
        assertThat(ProjectTemplate.projectName(Path.of("/x/sales-2024"))).isEqualTo("sales-2024");
    }

    @Test
    void writesIntoAnExistingEmptyFolder() {
        ProjectTemplate.write(dir);

        assertThat(Files.exists(dir.resolve("sluice.yml"))).isTrue();
    }

    @Test
    void refusesANonEmptyFolder() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> ProjectTemplate.write(dir))
                .isInstanceOf(SluiceException.class)
                .hasMessage("Cannot create a pipeline in %s: the folder is not empty; choose a new or empty folder", dir)
                .extracting(e -> ((SluiceException) e).code()).isEqualTo(ErrorCode.USAGE);
        assertThat(Files.exists(dir.resolve("sluice.yml"))).isFalse();
    }

    @Test
    void refusesAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> ProjectTemplate.write(file))
                .hasMessage("Cannot create a pipeline in %s: it is a file; choose a new or empty folder", file);
    }

    @Test
    void reportsAFolderThatCannotBeCreated() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> ProjectTemplate.write(file.resolve("sub")))
                .isInstanceOf(SluiceException.class)
                .hasMessageStartingWith("Cannot create a pipeline in " + file.resolve("sub") + ": ")
                .hasMessageEndingWith("; check the folder's permissions");
    }
}
