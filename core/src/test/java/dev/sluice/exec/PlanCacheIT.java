package dev.sluice.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.PlanStep;
import dev.sluice.RunOptions;
import dev.sluice.Sluice;
import dev.sluice.SluiceException;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Engines;
import dev.sluice.engine.Session;
import dev.sluice.plan.PlanReport;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan cache as a user meets it: after a run, planning takes unchanged models from the catalog; a changed model
 * re-plans, with the models whose inputs' row types changed, and nothing else; a stale or damaged row never gives a
 * wrong plan. What was re-planned is read from the plan's report, never from timing.
 */
class PlanCacheIT {
    @TempDir
    Path dir;

    private ProjectFixture project;

    @BeforeEach
    void runOnce() {
        project = ProjectFixture.copy("plan_cache", dir);
    }

    private ProjectPlan plan() {
        Project read = ProjectReader.read(project.root(), Map.of());
        return new Pipeline(read, Sluice.VERSION).plan();
    }

    @Test
    void aPlanOfUnchangedModelsTakesEveryModelFromTheCacheAndEqualsAPlanWithoutIt() {
        ProjectPlan cold = plan();
        assertThat(cold.report().reused()).isEmpty();
        assertThat(cold.report().planned()).containsExactlyInAnyOrder("stg_orders", "big_orders", "order_count",
                "totals");

        project.run();
        ProjectPlan cached = plan();

        assertThat(cached.report().planned()).isEmpty();
        assertThat(cached.report().reused()).containsExactlyInAnyOrder("stg_orders", "big_orders", "order_count",
                "totals");
        assertThat(cached.models()).isEqualTo(cold.models());
    }

    @Test
    void aChangedModelRePlansItAndOnlyTheModelsWhoseInputsRowTypesChanged() {
        project.run();

        // same columns: only the model itself
        project.write("models/stg_orders.sql", "SELECT id, amount FROM raw.orders WHERE id > 0\n");
        assertThat(plan().report().planned()).containsExactly("stg_orders");
        // that plan kept what it planned: nothing left to plan
        assertThat(plan().report().planned()).isEmpty();

        // a new column: its reader re-plans too, but the reader's own columns did not change, so not the next one
        project.write("models/stg_orders.sql", "SELECT id, amount, amount * 2 AS doubled FROM raw.orders\n");
        PlanReport report = plan().report();
        assertThat(report.planned()).containsExactly("stg_orders", "big_orders");
        assertThat(report.reused()).containsExactlyInAnyOrder("order_count", "totals");

        // a var every model may read changes every key
        project.replace("sluice.yml", "min_amount: 50", "min_amount: 60");
        assertThat(plan().report().planned()).containsExactlyInAnyOrder("stg_orders", "big_orders", "order_count",
                "totals");
    }

    @Test
    void aSourceGainingAColumnRePlansItsReadersAndAFrontMatterChangeRePlansItsModel() {
        project.run();

        // the source's row type changed: the models reading it re-plan; their own columns did not change
        project.replace("sluice.yml", "      amount: { type: DOUBLE, generator: uniform, min: 0, max: 100 }\n",
                "      amount: { type: DOUBLE, generator: uniform, min: 0, max: 100 }\n"
                + "      note:   { type: VARCHAR, generator: choice, values: [a, b] }\n");
        PlanReport report = plan().report();
        assertThat(report.planned()).containsExactlyInAnyOrder("stg_orders", "totals");
        assertThat(report.reused()).containsExactlyInAnyOrder("big_orders", "order_count");

        // materialized: table -> view in the front matter: the model re-plans, and its reader (what it reads changed)
        project.replace("models/big_orders.sql", "materialized: table", "materialized: view");
        assertThat(plan().report().planned()).containsExactlyInAnyOrder("big_orders", "order_count");
        assertThat(plan().report().planned()).as("the plan kept both rows").isEmpty();
    }

    @Test
    void previewingTheStepsReadsTheCacheFromTheWarehouseItOpensAndKeepsWhatItPlanned() {
        project.run();
        project.write("models/totals.sql", "SELECT sum(amount) AS total, count(*) AS n FROM raw.orders\n");
        Pipeline pipeline = new Pipeline(ProjectReader.read(project.root(), Map.of()), Sluice.VERSION);

        List<PlanStep> steps = pipeline.steps(RunOptions.defaults());

        assertThat(steps).extracting(PlanStep::model).containsExactlyInAnyOrder("stg_orders", "big_orders",
                "order_count", "totals");
        assertThat(pipeline.plan().report().planned()).containsExactly("totals");
        assertThat(pipeline.plan().report().reused()).containsExactlyInAnyOrder("stg_orders", "big_orders",
                "order_count");
        assertThat(plan().report().planned()).as("the preview kept the model it planned").isEmpty();
    }

    @Test
    void aStaleCacheNeverHidesTheErrorOfAModelDownstream() {
        project.run();
        project.write("models/stg_orders.sql", "SELECT id, amount AS value FROM raw.orders\n");

        SluiceException failure = ProjectFixture.failure(this::plan);

        assertThat(failure.getMessage()).contains("Cannot validate models/big_orders.sql:4:")
                .contains("Column 'amount' not found");
    }

    @Test
    void rowsOfAnotherVersionAndDamagedRowsAreIgnoredNeverTrusted() {
        ProjectPlan cold = plan();
        project.run();
        try (Engine engine = Engines.openReadWrite(ProjectReader.read(project.root(), Map.of()));
                Session session = engine.session()) {
            // a payload edited after it was written (its hash no longer matches), and a row of an older Sluice
            session.execute("UPDATE sluice.plan_cache SET payload = CASE WHEN payload[1] = 'A' THEN 'B' ELSE 'A' END "
                    + "|| payload[2:] WHERE model = 'stg_orders'");
            session.execute("UPDATE sluice.plan_cache SET sluice_version = '0.0.1' WHERE model = 'totals'");
        }

        ProjectPlan plan = plan();

        assertThat(plan.report().ignored()).isEqualTo(2);
        assertThat(plan.report().planned()).containsExactlyInAnyOrder("stg_orders", "totals");
        assertThat(plan.models()).isEqualTo(cold.models());
        assertThat(plan().report().planned()).as("the plan rewrote both rows").isEmpty();
    }

    @Test
    void whereTheCatalogCannotBeWrittenTheCacheIsReadButNotWritten() {
        project.run();
        project.write("models/totals.sql", "SELECT sum(amount) AS total, count(*) AS n FROM raw.orders\n");
        Path warehouse = ProjectReader.read(project.root(), Map.of()).warehouse();

        try (WarehouseLock run = WarehouseLock.acquire(warehouse)) {
            // a run holds the warehouse: the plan reads the cache, and cannot keep what it planned
            assertThat(plan().report().planned()).containsExactly("totals");
            assertThat(plan().report().planned()).containsExactly("totals");
        }

        assertThat(plan().report().planned()).containsExactly("totals");
        assertThat(plan().report().planned()).isEmpty();
    }
}
