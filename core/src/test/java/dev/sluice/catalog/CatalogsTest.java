package dev.sluice.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.project.CatalogSpec;
import dev.sluice.project.Defaults;
import dev.sluice.project.Project;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the project's catalog where sluice.yml keeps it, and the refusals when it cannot be. */
class CatalogsTest {
    @TempDir
    Path dir;

    private Project project(CatalogSpec catalog) {
        return new Project(dir, "shop", dir.resolve("w.duckdb"), catalog, Map.of(), List.of(), Defaults.standard(),
                List.of(), List.of(), Set.of(), List.of());
    }

    @Test
    void aCatalogInPostgresIsOpenedApartFromTheWarehouseWhichKeepsOnlyTheOutbox() {
        CatalogTarget target = CatalogTarget.of(CatalogSpec.Kind.POSTGRES, dir);
        Project project = project(target.spec());
        try (DuckDbEngine warehouse = DuckDbEngine.open(dir.resolve("w.duckdb"), 0, null)) {
            assertThat(Catalogs.openIfPresent(project, warehouse)).isEmpty();
            assertThatThrownBy(() -> Catalogs.openExisting(project, warehouse))
                    .hasMessage("Cannot read the catalog in %s: it has no catalog of project shop yet; run the "
                            + "pipeline first (sluice run DIR)", target.spec());

            assertThat(Catalogs.open(project, warehouse).version()).isEqualTo(23);

            assertThat(Catalogs.openExisting(project, warehouse).runs().recentRuns(1)).isEmpty();
            assertThat(Catalog.openIfPresent(warehouse)).isEmpty();
            assertThat(warehouse.relationKind("sluice_outbox", "pending")).isEqualTo(
                    dev.sluice.engine.Engine.RelationKind.TABLE);
        }
    }

    @Test
    void anUnreachableCatalogIsRefusedOnOpenNamingWhereItIsAndWithoutThePassword() {
        CatalogSpec unreachable = new CatalogSpec(CatalogSpec.Kind.POSTGRES, "jdbc:postgresql://127.0.0.1:1/meta",
                "sluice", "s3cret", "sluice_shop");
        try (DuckDbEngine warehouse = DuckDbEngine.open(dir.resolve("w.duckdb"), 0, null)) {
            assertThatThrownBy(() -> Catalogs.open(project(unreachable), warehouse))
                    .isInstanceOf(SluiceException.class)
                    .hasMessageStartingWith("Cannot open the catalog in jdbc:postgresql://127.0.0.1:1/meta schema "
                            + "sluice_shop as user sluice: ")
                    .hasMessageEndingWith("; check catalog: in sluice.yml (url, user, password: ${env:NAME}) and "
                            + "that the server is reachable")
                    .hasMessageNotContaining("s3cret")
                    .extracting(e -> ((SluiceException) e).code()).isEqualTo(ErrorCode.PROJECT_INVALID);
        }
    }
}
