package dev.sluice.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.project.CatalogSpec;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox of a catalog kept in PostgreSQL: writes commit with the warehouse's data, then reach the catalog once. */
class OutboxTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2026, 1, 1, 0, 0);

    @TempDir
    Path dir;
    private DuckDbEngine warehouse;
    private Engine catalogEngine;
    private Outbox outbox;
    private Catalog catalog;

    @BeforeEach
    void open() {
        warehouse = DuckDbEngine.open(dir.resolve("w.duckdb"), 0, null);
        catalogEngine = CatalogTarget.of(CatalogSpec.Kind.POSTGRES, dir).open();
        outbox = Outbox.create(warehouse, catalogEngine);
        catalog = Catalog.open(catalogEngine, outbox);
    }

    @AfterEach
    void close() {
        catalogEngine.close();
        warehouse.close();
    }

    private ModelRunRecord modelRun(long run, String model) {
        return new ModelRunRecord(run, model, model, "table", "success", 3L, null, T0, 5, "hash", "new", null);
    }

    private long modelRuns() {
        try (Session session = catalogEngine.session()) {
            return session.query("SELECT count(*) FROM sluice.model_runs").singleLong();
        }
    }

    @Test
    void aPublishsRecordsReachTheCatalogAfterItsDataCommitsAndNeverWhenItRollsBack() {
        long run = catalog.runs().startRun("run", "", "DuckDB", "0.1.0", "host", 1);
        try (Session session = warehouse.session()) {
            session.begin();
            session.execute("CREATE TABLE t AS SELECT 1 AS x");
            catalog.runs().recordModelRun(session, modelRun(run, "main.t"));
            catalog.state().recordCheckpoint(session, "main.t", "raw.s", 1, run);
            assertThat(modelRuns()).isZero();
            session.commit();

            session.begin();
            session.execute("CREATE TABLE u AS SELECT 1 AS x");
            catalog.runs().recordModelRun(session, modelRun(run, "main.u"));
            session.rollback();
        }

        assertThat(catalog.runs().modelRuns(run)).extracting(ModelRunRecord::model).containsExactly("main.t");
        assertThat(catalog.state().checkpoints("main.t")).containsEntry("raw.s", 1L);
        assertThat(Outbox.pending(warehouse)).isEmpty();
    }

    @Test
    void aBatchReplayedBeforeACrashIsNotAppliedAgain() {
        long run = catalog.runs().startRun("run", "", "DuckDB", "0.1.0", "host", 1);
        try (Session session = warehouse.session(); Session catalogSession = catalogEngine.session()) {
            catalog.runs().recordModelRun(session, modelRun(run, "main.t"));
            List<String> written = Outbox.pending(warehouse);
            assertThat(written).singleElement().asString().startsWith("INSERT INTO sluice.model_runs");
            // as a process that died after the catalog committed the batch, before the warehouse forgot it
            String batch = (String) session.query("SELECT batch FROM " + Outbox.TABLE).single();
            catalogSession.execute(written.get(0));
            catalogSession.execute("INSERT INTO sluice.outbox_batches VALUES (?, 1, ?)", batch, T0);
        }

        Catalog reopened = Catalog.open(catalogEngine, Outbox.create(warehouse, catalogEngine));

        assertThat(reopened.runs().modelRuns(run)).extracting(ModelRunRecord::model).containsExactly("main.t");
        assertThat(Outbox.pending(warehouse)).isEmpty();
        try (Session session = catalogEngine.session()) {
            assertThat(session.query("SELECT count(*) FROM sluice.outbox_batches").singleLong()).isZero();
        }
    }

    @Test
    void aCatalogThatRefusesTheRecordsIsNamedOnOpenAndTheRecordsWait() {
        long run = catalog.runs().startRun("run", "", "DuckDB", "0.1.0", "host", 1);
        try (Session session = warehouse.session(); Session catalogSession = catalogEngine.session()) {
            catalog.runs().recordModelRun(session, modelRun(run, "main.t"));
            catalogSession.execute("ALTER TABLE sluice.model_runs ADD CONSTRAINT refused CHECK (model <> 'main.t')");
            assertThatThrownBy(() -> Catalog.open(catalogEngine, Outbox.create(warehouse, catalogEngine)))
                    .hasMessageStartingWith("Cannot open the catalog in " + ((PostgresCatalogEngine) catalogEngine)
                            .spec() + ": the records of a publish whose data committed in the warehouse cannot be "
                            + "written to it: ERROR: new row for relation \"model_runs\" violates check constraint "
                            + "\"refused\"")
                    .hasMessageContaining("; fix the catalog database and run again (the records wait in the "
                            + "warehouse's sluice_outbox.pending until they are written)");
            assertThat(Outbox.pending(warehouse)).hasSize(1);
            catalogSession.execute("ALTER TABLE sluice.model_runs DROP CONSTRAINT refused");
        }
        assertThat(Catalog.open(catalogEngine, Outbox.create(warehouse, catalogEngine)).runs().modelRuns(run))
                .hasSize(1);
    }

    @Test
    void parametersBecomeLiteralsOutsideQuotesOnly() {
        assertThat(OutboxSession.inlined("INSERT INTO sluice.t VALUES (?, '?', \"a?\", ?, ?, ?, ?)", "it's", 3L,
                Arrays.asList(1L, 2L), Double.NaN, T0)).isEqualTo("INSERT INTO sluice.t VALUES ('it''s', '?', \"a?\", "
                        + "3, ARRAY[1, 2], CAST('NaN' AS DOUBLE), TIMESTAMP '2026-01-01 00:00')");
        assertThatThrownBy(() -> OutboxSession.inlined("SELECT ?", 1, 2))
                .hasMessage("2 parameters for 1 placeholders in: SELECT ?");
    }
}
