package dev.sluice.exec;

import dev.sluice.SluiceException;
import dev.sluice.engine.Sql;
import dev.sluice.plan.PlannedModel;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import dev.sluice.quality.Gate;
import dev.sluice.quality.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds the SQL users write in quality rules ({@code expression:}, {@code sql:} and {@code tests/*.sql}) in the
 * planning scratch database, where models and sources are empty tables of their planned types: a typo is a located
 * plan error rather than a binder error over the gate's generated SQL that fails the build.
 */
final class RuleBinding {
    private RuleBinding() {
    }

    /** One problem per rule whose SQL DuckDB cannot bind; empty when all bind. */
    static List<String> problems(Project project, ProjectPlan plan, QualityRules quality, ScratchOracle oracle) {
        List<String> problems = new ArrayList<>();
        for (Source source : project.sources()) {
            // A source that cannot be read now is not in the scratch database: its readers are reported already.
            // (Asked only when it has a rule to bind: each question is a query of the scratch database.)
            if (quality.of(source.qualifiedName()).stream().anyMatch(RuleBinding::written)
                    && oracle.hasTable(source.schema(), source.table())) {
                bind("source " + source.qualifiedName(), Sql.qualified(source.schema(), source.table()),
                        quality.of(source.qualifiedName()), oracle, problems);
            }
        }
        for (PlannedModel planned : plan.models()) {
            bind("model " + planned.name(), Sql.qualified(planned.model().schema(), planned.name()),
                    quality.of(planned.name()), oracle, problems);
        }
        return problems;
    }

    /** Whether the rule's SQL is the user's own (expression and sql rules), which only binding can check. */
    private static boolean written(Rule rule) {
        return rule.type().equals("expression") || rule.type().equals("sql");
    }

    private static void bind(String owner, String relation, List<Rule> rules, ScratchOracle oracle,
            List<String> problems) {
        for (Rule rule : rules) {
            if (!written(rule)) {
                // Structured rules are Sluice's own SQL over columns checked by name when the rules are read.
                continue;
            }
            // The gate's own SQL for this rule alone, so the rule binds exactly as it will run.
            Gate gate = new Gate(List.of(rule), relation, oracle.dialect());
            List<String> statements = new ArrayList<>(gate.queryCountSqls());
            statements.add(gate.scanSql());
            for (String sql : statements) {
                try {
                    oracle.bind(sql);
                } catch (SluiceException e) {
                    problems.add("Cannot check quality rule '" + rule.name() + "' of " + owner + " ("
                            + rule.location() + "): DuckDB cannot bind its SQL: " + firstLines(e.getMessage())
                            + "; fix the rule's SQL (it runs over the " + owner.substring(0, owner.indexOf(' '))
                            + "'s columns, and an sql rule names it 'this')");
                    break;
                }
            }
        }
    }

    /** DuckDB's message without the echo of Sluice's generated SQL (after {@code LINE n:}), on one line. */
    private static String firstLines(String message) {
        String text = String.valueOf(message);
        int echo = text.indexOf("\nLINE ");
        return (echo < 0 ? text : text.substring(0, echo)).strip().replaceAll("\\s*\\n\\s*", " ");
    }
}
