package dev.sluice.exec;

import dev.sluice.plan.Planner;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Planning one model (a join, an aggregate, a window and a CTE over two sources): parse, validate with Calcite,
 * derive lineage and cross-check the columns with DuckDB, as {@code Planner.plan} does for every model of a run. The
 * scratch DuckDB the cross-check uses is opened once, as a run opens it once for all its models. In package exec for
 * that scratch database ({@link ScratchOracle} is package-private).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PlanningMicro {
    static final String SLUICE_YML = """
            name: micro
            sources:
              raw.orders:
                type: synthetic
                rows: 10
                columns:
                  id: { type: BIGINT, generator: sequence }
                  customer_id: { type: BIGINT, generator: uniform, min: 1, max: 5 }
                  amount: { type: DOUBLE, generator: uniform, min: 1, max: 100 }
                  status: { type: VARCHAR, generator: choice, values: [open, shipped, returned] }
                  ordered_at: { type: DATE, generator: date, start: 2024-01-01, end: 2024-12-31 }
              raw.customers:
                type: synthetic
                rows: 5
                columns:
                  id: { type: BIGINT, generator: sequence }
                  country: { type: VARCHAR, generator: choice, values: [de, fr, nl] }
            """;
    static final String MODEL = """
            /*---
            materialized: table
            quality:
              - not_null: [customer_id, country]
              - unique: [customer_id]
              - range: { column: total, min: 0 }
              - accepted_values: { column: country, values: [de, fr, nl] }
            ---*/
            WITH recent AS (
                SELECT customer_id, amount, ordered_at FROM raw.orders WHERE status <> 'returned'
            )
            SELECT c.id AS customer_id, c.country, sum(r.amount) AS total, count(*) AS orders,
                   max(r.ordered_at) AS last_order,
                   rank() OVER (PARTITION BY c.country ORDER BY sum(r.amount) DESC) AS country_rank,
                   CASE WHEN sum(r.amount) > 100 THEN 'big' ELSE 'small' END AS size
            FROM recent r JOIN raw.customers c ON c.id = r.customer_id
            GROUP BY c.id, c.country
            """;

    Path dir;
    Project project;
    ScratchOracle oracle;

    /** Writes the one-model project to a temporary folder and reads it. */
    static Project project(Path dir) throws IOException {
        Files.writeString(dir.resolve("sluice.yml"), SLUICE_YML);
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/customer_totals.sql"), MODEL);
        return ProjectReader.read(dir, Map.of());
    }

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("sluice-micro-planning");
        project = project(dir);
        oracle = new ScratchOracle(project.readableRoots());
        ProjectPlan plan = Planner.plan(project, oracle);
        if (plan.models().size() != 1 || plan.models().get(0).lineage().isEmpty()) {
            throw new IllegalStateException("the benchmark model should plan with lineage: " + plan.unavailable());
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        oracle.close();
        MicroFiles.delete(dir);
    }

    @Benchmark
    public ProjectPlan planOneModel() {
        return Planner.plan(project, oracle);
    }
}
