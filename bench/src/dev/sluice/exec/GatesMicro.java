package dev.sluice.exec;

import dev.sluice.engine.Sql;
import dev.sluice.plan.Planner;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Project;
import dev.sluice.quality.Gate;
import dev.sluice.quality.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * Compiling a model's gates: reading the project's quality rules against the plan ({@link QualityRules}) and
 * turning the model's five rules into the one scan statement and the query counts a build runs. In package exec for
 * {@link QualityRules}, which is package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GatesMicro {
    Path dir;
    Project project;
    ProjectPlan plan;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("sluice-micro-gates");
        project = PlanningMicro.project(dir);
        try (ScratchOracle oracle = new ScratchOracle(project.readableRoots())) {
            plan = Planner.plan(project, oracle);
        }
        List<Rule> rules = new QualityRules(project, plan).of("customer_totals");
        if (rules.size() != 5) {
            throw new IllegalStateException("the benchmark model should have 5 rules, it has " + rules);
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        MicroFiles.delete(dir);
    }

    @Benchmark
    public List<String> compileGates() {
        List<Rule> rules = new QualityRules(project, plan).of("customer_totals");
        Gate gate = new Gate(rules, Sql.qualified("main", "customer_totals"), dev.sluice.engine.duckdb.DuckDbDialect.INSTANCE);
        List<String> sql = new java.util.ArrayList<>(gate.queryCountSqls());
        sql.add(gate.scanSql());
        return sql;
    }
}
