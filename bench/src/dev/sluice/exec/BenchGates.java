package dev.sluice.exec;

import dev.sluice.engine.Sql;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import dev.sluice.quality.Gate;
import dev.sluice.quality.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statements a run's quality gates execute, for benchmarks that run the same work in raw DuckDB: for each source
 * and model with rules, its gate's one scan, its query rules' counts and the DESCRIBE of its columns (as
 * {@link GateRunner} runs them). Public for the benchmarks in {@code dev.sluice.bench}; {@link QualityRules} is
 * package-private.
 */
public final class BenchGates {
    private BenchGates() {
    }

    /** By source ({@code schema.table}) and model name: the gate statements, empty when it has no rules. */
    public static Map<String, List<String>> statements(Project project, ProjectPlan plan) {
        QualityRules rules = new QualityRules(project, plan);
        Map<String, List<String>> statements = new LinkedHashMap<>();
        for (Source source : project.sources()) {
            statements.put(source.qualifiedName(), gate(rules.of(source.qualifiedName()),
                    Sql.qualified(source.schema(), source.table())));
        }
        plan.models().forEach(model -> statements.put(model.name(), gate(rules.of(model.name()),
                Sql.qualified(model.model().schema(), model.name()))));
        return statements;
    }

    private static List<String> gate(List<Rule> rules, String relation) {
        if (rules.isEmpty()) {
            return List.of();
        }
        Gate gate = new Gate(rules, relation, dev.sluice.engine.duckdb.DuckDbDialect.INSTANCE);
        List<String> sql = new ArrayList<>();
        sql.add(gate.scanSql());
        sql.addAll(gate.queryCountSqls());
        sql.add("DESCRIBE SELECT * FROM " + relation + " AS t");
        return sql;
    }
}
