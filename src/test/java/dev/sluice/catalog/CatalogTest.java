package dev.sluice.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.DuckDbEngine;
import dev.sluice.engine.Session;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
    @TempDir
    Path dir;

    @Test
    void appliesMigrationsOnceAndRecordsTheVersion() {
        Path warehouse = dir.resolve("w.duckdb");
        try (DuckDbEngine engine = DuckDbEngine.open(warehouse, 0, null)) {
            Catalog catalog = Catalog.open(engine);
            assertThat(catalog.version()).isEqualTo(6);
        }
        try (DuckDbEngine engine = DuckDbEngine.open(warehouse, 0, null); Session session = engine.session()) {
            Catalog.open(engine);
            assertThat(session.query("SELECT count(*) FROM sluice.schema_version").singleLong()).isEqualTo(5);
            assertThat(session.query("SELECT description FROM sluice.schema_version ORDER BY version").values())
                    .containsExactly(List.of("init"), List.of("quality"), List.of("incremental"), List.of("lineage"),
                            List.of("windows"));
        }
    }

    @Test
    void refusesACatalogFromANewerSluice() {
        try (DuckDbEngine engine = DuckDbEngine.open(dir.resolve("w.duckdb"), 0, null);
                Session session = engine.session()) {
            Catalog.open(engine);
            session.execute("INSERT INTO sluice.schema_version VALUES (99, 'future', now())");
            assertThatThrownBy(() -> Catalog.open(engine))
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining("version 99")
                    .hasMessageContaining("upgrade Sluice")
                    .extracting(e -> ((SluiceException) e).code()).isEqualTo(ErrorCode.CATALOG_TOO_NEW);
        }
    }

    @Test
    void readingAWarehouseWithoutCatalogSaysToRunFirst() {
        try (DuckDbEngine engine = DuckDbEngine.open(dir.resolve("w.duckdb"), 0, null)) {
            assertThatThrownBy(() -> Catalog.openExisting(engine))
                    .hasMessageContaining("run the pipeline first");
        }
    }

    @Test
    void keepsRunsAndModelOutcomes() {
        try (DuckDbEngine engine = DuckDbEngine.open(dir.resolve("w.duckdb"), 0, null);
                Session session = engine.session()) {
            Catalog catalog = Catalog.open(engine);
            long first = catalog.startRun("run", "--select a", "DuckDB v1", "0.1.0", "host", 42);
            catalog.recordModelRun(session, new ModelRunRecord(first, "a", "main.a", "table", "success", 3L, 100L,
                    LocalDateTime.now(), 5, "hash1", "new model", null));
            catalog.finishRun(first, "success");
            long second = catalog.startRun("run", "", "DuckDB v1", "0.1.0", "host", 43);
            catalog.recordModelRun(session, new ModelRunRecord(second, "a", "main.a", "table", "failed", null, null,
                    LocalDateTime.now(), 1, "hash2", "SQL changed", "boom"));

            assertThat(second).isGreaterThan(first);
            assertThat(catalog.lastRun("run")).get().extracting(RunRecord::runId, RunRecord::status)
                    .containsExactly(second, "running");
            assertThat(catalog.markInterruptedRuns()).isEqualTo(1);
            assertThat(catalog.recentRuns(10)).extracting(RunRecord::status).containsExactly("killed", "success");
            assertThat(catalog.recentRuns(10).get(1).finishedAt()).isNotNull();
            assertThat(catalog.lastSuccess("a")).get().extracting(ModelRunRecord::sqlHash).isEqualTo("hash1");
            assertThat(catalog.lastSuccess("b")).isEmpty();
            assertThat(catalog.modelRuns(second)).singleElement()
                    .extracting(ModelRunRecord::status, ModelRunRecord::error, ModelRunRecord::rows)
                    .containsExactly("failed", "boom", null);
            assertThat(catalog.lastRun("test")).isEmpty();
        }
    }
}
