package dev.sluice.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Engine;
import dev.sluice.project.CatalogSpec;
import dev.sluice.engine.Session;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Opening, migrating and refusing catalogs, of both kinds: in the warehouse and in PostgreSQL. */
@ParameterizedClass
@EnumSource(CatalogSpec.Kind.class)
class CatalogTest {
    @Parameter
    CatalogSpec.Kind kind;
    @TempDir
    Path dir;
    private CatalogTarget target;

    @BeforeEach
    void target() {
        target = CatalogTarget.of(kind, dir);
    }

    @Test
    void appliesMigrationsOnceAndRecordsTheVersion() {
        try (Engine engine = target.open()) {
            Catalog catalog = Catalog.open(engine);
            assertThat(catalog.version()).isEqualTo(23);
        }
        try (Engine engine = target.open(); Session session = engine.session()) {
            Catalog.open(engine);
            assertThat(session.query("SELECT description FROM sluice.schema_version ORDER BY version").values())
                    .containsExactly(List.of("init"), List.of("quality"), List.of("incremental"), List.of("lineage"),
                            List.of("run lineage"), List.of("windows"), List.of("storage"), List.of("lake versions"),
                            List.of("lock takeovers"), List.of("qualified model names"),
                            List.of("build kind and checksums"), List.of("stream offsets"), List.of("sink writes"), List.of("iceberg snapshots"),
                            List.of("schedule runs"), List.of("column masks"), List.of("plan cache"), List.of("layout costs"),
                            List.of("shared catalog"), List.of("model snapshots"));
        }
    }

    @Test
    void appliesAMissingVersionBelowTheHighestInstalledOne() {
        try (Engine engine = target.open(); Session session = engine.session()) {
            Catalog.open(engine);
            // as if V5 had shipped after V7: a catalog at V7 without it
            session.execute("ALTER TABLE sluice.lineage_columns DROP COLUMN expression; "
                    + "ALTER TABLE sluice.lineage_columns DROP COLUMN masking; "
                    + "ALTER TABLE sluice.lineage_runs DROP COLUMN engine_version; "
                    + "ALTER TABLE sluice.lineage_runs DROP COLUMN parameters; "
                    + "ALTER TABLE sluice.lineage_runs DROP COLUMN bytes; "
                    + "DELETE FROM sluice.schema_version WHERE version = 5");
            Catalog.open(engine);
            assertThat(session.query("SELECT version FROM sluice.schema_version ORDER BY version").values())
                    .extracting(row -> row.get(0)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 18, 19, 20, 21, 22, 23);
            assertThat(session.query("SELECT count(*) FROM information_schema.columns WHERE table_schema = ? "
                    + "AND column_name IN ('expression', 'masking', 'engine_version', 'parameters', 'bytes') "
                    + "AND table_name IN ('lineage_columns', 'lineage_runs')", target.schema()).singleLong())
                    .isEqualTo(5);
        }
    }

    @Test
    void refusesACatalogFromANewerSluice() {
        try (Engine engine = target.open();
                Session session = engine.session()) {
            Catalog.open(engine);
            session.execute("INSERT INTO sluice.schema_version (version, description, installed_at) VALUES (99, 'future', now())");
            for (ThrowingCallable open : List.<ThrowingCallable>of(() -> Catalog.open(engine),
                    () -> Catalog.openExisting(engine), () -> Catalog.openIfPresent(engine))) {
                assertThatThrownBy(open)
                        .isInstanceOf(SluiceException.class)
                        .hasMessage("Cannot open the catalog of warehouse %s: it is at version 99, written by a newer "
                                + "Sluice; this Sluice reads catalog versions up to 23; use a Sluice that knows catalog "
                                + "version 99 with this warehouse (sluice --version shows yours)", target.location())
                        .extracting(e -> ((SluiceException) e).code()).isEqualTo(ErrorCode.CATALOG_TOO_NEW);
            }
        }
    }

    @Test
    void refusesTablesOfAVersionTheCatalogDoesNotRecord() {
        try (Engine engine = target.open();
                Session session = engine.session()) {
            Catalog.open(engine);
            // V9 applied but its row lost: applying V9 again would fail on its own table
            session.execute("DELETE FROM sluice.schema_version WHERE version = 9");
            assertThatThrownBy(() -> Catalog.open(engine))
                    .hasMessageContaining("it is damaged: sluice.lock_takeovers exist but sluice.schema_version does "
                            + "not record V9 (lock takeovers) that creates them; " + (kind != CatalogSpec.Kind.POSTGRES
                            ? "restore the warehouse file from a backup" : CatalogState.SHARED_ADVICE))
                    .extracting(e -> ((SluiceException) e).code()).isEqualTo(ErrorCode.WAREHOUSE_DAMAGED);
            session.execute("DELETE FROM sluice.schema_version");
            assertThatThrownBy(() -> Catalog.openExisting(engine))
                    .hasMessageContaining("it is damaged: its table sluice.schema_version is empty, while "
                            + "sluice.arrival_lateness, sluice.checkpoints, sluice.column_compression and 28 more exist");
        }
    }

    @Test
    void aFirstOpenCutShortBeforeItsFirstMigrationIsCompletedNextTime() {
        try (Engine engine = target.open();
                Session session = engine.session()) {
            assertThat(Catalog.openIfPresent(engine)).isEmpty();
            // as a first open killed after creating the version table, before V1 committed
            session.execute("CREATE SCHEMA sluice; CREATE TABLE sluice.schema_version (version INTEGER PRIMARY KEY, "
                    + "description VARCHAR NOT NULL, installed_at TIMESTAMP NOT NULL)");
            assertThat(Catalog.openIfPresent(engine)).isEmpty();
            assertThat(Catalog.open(engine).version()).isEqualTo(23);
            assertThat(Catalog.openIfPresent(engine)).isPresent();
        }
    }

    @Test
    void migrationsNameTheTablesTheyCreateAndEachVersionIsTakenOnce() throws java.io.IOException {
        List<Migrations.Migration> migrations = Migrations.load();
        assertThat(migrations.get(0).createdTables()).containsExactly("model_runs", "rejects", "runs", "source_loads");
        assertThat(migrations.get(4).createdTables()).isEmpty();
        assertThat(new Migrations.Migration(9, "x", "CREATE TABLE IF NOT EXISTS sluice.A (x INT); "
                + "drop table if exists sluice.b; DROP TABLE other.c").droppedTables()).containsExactly("b");

        Path folder = java.nio.file.Files.createDirectories(dir.resolve("catalog"));
        java.nio.file.Files.writeString(folder.resolve("V1__init.sql"), "SELECT 1");
        java.nio.file.Files.writeString(folder.resolve("V2__left.sql"), "SELECT 2");
        java.nio.file.Files.writeString(folder.resolve("V2__right.sql"), "SELECT 3");
        assertThatThrownBy(() -> Migrations.list(folder))
                .hasMessageMatching("Cannot read the catalog migrations: V2 is both '(left|right)' and "
                        + "'(left|right)'; renumber one of them");
    }

    @Test
    void aMigrationThatFailsOnANewCatalogNamesItAndTheNextOpenStartsAgain() {
        List<Migrations.Migration> migrations = Migrations.load();
        List<Migrations.Migration> broken = new java.util.ArrayList<>(migrations);
        Migrations.Migration v5 = migrations.get(4);
        broken.set(4, new Migrations.Migration(5, v5.description(),
                "ALTER TABLE sluice.no_such_table ADD COLUMN x INT;"));
        try (Engine engine = target.open(); Session session = engine.session()) {
            assertThatThrownBy(() -> Catalog.open(engine, broken))
                    .isInstanceOf(SluiceException.class)
                    .hasMessageStartingWith("Cannot apply catalog migration V5 (run lineage): ");
            if (kind != CatalogSpec.Kind.POSTGRES) {
                // one transaction in DuckDB: nothing of the new catalog is left, not even its version table
                assertThat(session.query("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'sluice'")
                        .singleLong()).isZero();
            }
            assertThat(Catalog.open(engine, migrations).version()).isEqualTo(23);
        }
    }

    @Test
    void anAppliedMigrationEditedSinceIsRefused() {
        List<Migrations.Migration> migrations = Migrations.load();
        try (Engine engine = target.open()) {
            Catalog.open(engine);
        }
        List<Migrations.Migration> edited = new java.util.ArrayList<>(migrations);
        Migrations.Migration v3 = migrations.get(2);
        edited.set(2, new Migrations.Migration(3, v3.description(), v3.sql() + "\n-- and one more column\n"));
        // the same text with CRLF line ends (a Windows checkout) is the same migration
        List<Migrations.Migration> crlf = new java.util.ArrayList<>(migrations);
        crlf.set(2, new Migrations.Migration(3, v3.description(), v3.sql().replace("\n", "\r\n")));
        try (Engine engine = target.open()) {
            assertThatThrownBy(() -> Catalog.open(engine, edited))
                    .isInstanceOf(SluiceException.class)
                    .hasMessage("Cannot open the catalog of warehouse " + target.location() + ": catalog migration V3 "
                            + "(incremental) was edited after it was applied to this warehouse (checksum "
                            + v3.checksum().substring(0, 12) + " when applied, "
                            + edited.get(2).checksum().substring(0, 12) + " now); restore "
                            + "catalog/V3__incremental.sql as it was and put the change in a new migration");
            assertThat(Catalog.open(engine, crlf).version()).isEqualTo(23);
        }
    }

    @Test
    void aCatalogFromBeforeChecksumsGetsThemAndItsUpToDateRunsTheirStatus() {
        try (Engine engine = target.open(); Session session = engine.session()) {
            Catalog.open(engine);
            // as a catalog at V10: no checksums, no build kinds, and a run found up to date recorded as a success
            session.execute("DELETE FROM sluice.schema_version WHERE version >= 11; DROP TABLE sluice.stream_offsets; "
                    + "DROP TABLE sluice.sink_writes; DROP TABLE sluice.iceberg_snapshots; "
                    + "DROP TABLE sluice.schedule_runs; DROP TABLE sluice.column_masks; DROP TABLE sluice.plan_cache; "
                    + "DROP TABLE sluice.outbox_batches; DROP TABLE sluice.run_locks; "
                    + "ALTER TABLE sluice.schema_version DROP COLUMN checksum; "
                    + "ALTER TABLE sluice.model_runs DROP COLUMN build_kind");
            session.execute("INSERT INTO sluice.model_runs (run_id, model, relation, materialized, status, rows, "
                    + "started_at, duration_ms, sql_hash, reason) VALUES "
                    + "(1, 'main.a', 'main.a', 'table', 'success', 3, TIMESTAMP '2026-01-01', 5, 'h', 'first build'), "
                    + "(2, 'main.a', 'main.a', 'table', 'success', 3, TIMESTAMP '2026-01-02', 1, 'h', "
                    + "'up to date: no input changed since its build in run 1; selected')");
            Catalog catalog = Catalog.open(engine);
            assertThat(session.query("SELECT version, checksum FROM sluice.schema_version ORDER BY version").values())
                    .isEqualTo(Migrations.load().stream().map(m -> List.<Object>of(m.version(), m.checksum()))
                            .toList());
            assertThat(session.query("SELECT run_id, status, build_kind FROM sluice.model_runs ORDER BY run_id")
                    .values()).containsExactly(java.util.Arrays.asList(1L, "success", null),
                            java.util.Arrays.asList(2L, "up_to_date", null));
            assertThat(catalog.runs().lastBuild("main.a")).contains(1L);
        }
    }

    @Test
    void readingAWarehouseWithoutCatalogSaysToRunFirst() {
        try (Engine engine = target.open()) {
            assertThatThrownBy(() -> Catalog.openExisting(engine))
                    .hasMessageContaining("run the pipeline first");
        }
    }

    @Test
    void keepsRunsAndModelOutcomes() {
        try (Engine engine = target.open();
                Session session = engine.session()) {
            Catalog catalog = Catalog.open(engine);
            long first = catalog.runs().startRun("run", "--select a", "DuckDB v1", "0.1.0", "host", 42);
            catalog.runs().recordModelRun(session, new ModelRunRecord(first, "a", "main.a", "table", "success", 3L, 100L,
                    LocalDateTime.now(), 5, "hash1", "new model", null));
            catalog.runs().finishRun(first, "success");
            long second = catalog.runs().startRun("run", "", "DuckDB v1", "0.1.0", "host", 43);
            catalog.runs().recordModelRun(session, new ModelRunRecord(second, "a", "main.a", "table", "failed", null, null,
                    LocalDateTime.now(), 1, "hash2", "SQL changed", "boom"));

            assertThat(second).isGreaterThan(first);
            assertThat(catalog.runs().lastRun("run")).get().extracting(RunRecord::runId, RunRecord::status)
                    .containsExactly(second, "running");
            assertThat(catalog.closedRuns()).isEmpty();
            // opened for writing again (under the lock): the run left running belongs to a process that is gone
            catalog = Catalog.open(engine);
            assertThat(catalog.closedRuns()).containsExactly(second);
            assertThat(catalog.runs().recentRuns(10)).extracting(RunRecord::status).containsExactly("killed", "success");
            assertThat(catalog.runs().recentRuns(10).get(1).finishedAt()).isNotNull();
            assertThat(catalog.runs().lastSuccess("a")).get().extracting(ModelRunRecord::sqlHash).isEqualTo("hash1");
            assertThat(catalog.runs().lastSuccess("b")).isEmpty();
            assertThat(catalog.runs().modelRuns(second)).singleElement()
                    .extracting(ModelRunRecord::status, ModelRunRecord::error, ModelRunRecord::rows)
                    .containsExactly("failed", "boom", null);
            assertThat(catalog.runs().lastRun("test")).isEmpty();
        }
    }
}
