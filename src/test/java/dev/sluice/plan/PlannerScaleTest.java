package dev.sluice.plan;

import static dev.sluice.plan.TestProjects.inSchema;
import static dev.sluice.plan.TestProjects.model;
import static dev.sluice.plan.TestProjects.project;
import static dev.sluice.plan.TestProjects.source;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.project.Model;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Plans 1,000 generated models (chains and fan-ins of 3–8 inputs) and prints the time; not a timed assertion. */
class PlannerScaleTest {

    static Project generated(int count) {
        List<Source> sources = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            sources.add(source("raw", "events_" + s, "id", "BIGINT", "v", "DOUBLE", "kind", "VARCHAR", "ts",
                    "TIMESTAMP"));
        }
        Random random = new Random(42);
        List<Model> models = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder sql = new StringBuilder("/*--- yaml\ntags: [generated]\n---*/\n");
            if (i < 5 || random.nextInt(3) == 0) {
                String input = i < 5 ? "raw.events_" + i : "m" + (i - 1);
                sql.append("SELECT id, v * 2 AS v, upper(kind) AS kind, date_trunc('day', ts) AS ts\nFROM ")
                        .append(input).append("\nWHERE v IS NOT NULL");
            } else {
                int inputs = Math.min(i, 3 + random.nextInt(6));
                List<Integer> chosen = new ArrayList<>();
                while (chosen.size() < inputs) {
                    int candidate = random.nextInt(i);
                    if (!chosen.contains(candidate)) {
                        chosen.add(candidate);
                    }
                }
                sql.append("SELECT t0.id, (");
                for (int k = 0; k < inputs; k++) {
                    sql.append(k == 0 ? "" : " + ").append("coalesce(t").append(k).append(".v, 0)");
                }
                sql.append(") AS v, t0.kind, t0.ts\nFROM m").append(chosen.get(0)).append(" t0");
                for (int k = 1; k < inputs; k++) {
                    sql.append("\nLEFT JOIN m").append(chosen.get(k)).append(" t").append(k)
                            .append(" ON t").append(k).append(".id = t0.id");
                }
            }
            models.add(inSchema(model("m" + i, sql.toString()), i % 2 == 0 ? "staging" : "marts"));
        }
        return project(sources, models.toArray(Model[]::new));
    }

    /** Measures the time spent in the oracle, to tell DuckDB's share from the planner's. */
    private static final class TimedOracle implements SchemaOracle {
        private final SchemaOracle delegate;
        long nanos;

        TimedOracle(SchemaOracle delegate) {
            this.delegate = delegate;
        }

        private <T> T timed(java.util.function.Supplier<T> call) {
            long start = System.nanoTime();
            try {
                return call.get();
            } finally {
                nanos += System.nanoTime() - start;
            }
        }

        @Override
        public List<FunctionInfo> functions() {
            return timed(delegate::functions);
        }

        @Override
        public List<ColumnType> defineSource(Source source) {
            return timed(() -> delegate.defineSource(source));
        }

        @Override
        public List<ColumnType> defineModel(String schema, String name, String sql) {
            return timed(() -> delegate.defineModel(schema, name, sql));
        }

        @Override
        public java.util.Set<String> tableReferences(String sql) {
            return timed(() -> delegate.tableReferences(sql));
        }
    }

    @Test
    void plansAThousandModels() {
        Project project = generated(1000);
        for (int round = 1; round <= 2; round++) {
            try (DuckDbTestOracle oracle = new DuckDbTestOracle()) {
                long start = System.nanoTime();
                TimedOracle timed = new TimedOracle(oracle);
                ProjectPlan plan = Planner.plan(project, timed);
                long millis = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("planned %d models in %d ms (%s JVM), of which %d ms in the DuckDB oracle%n",
                        plan.models().size(), millis, round == 1 ? "cold" : "warm", timed.nanos / 1_000_000);
                assertThat(plan.models()).hasSize(1000);
            }
        }
    }
}
