package dev.sluice.exec;

import dev.sluice.SluiceException;
import dev.sluice.engine.Dialect;
import dev.sluice.plan.PlannedModel;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Project;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Planning's check that the project's engine can run every model: for an engine that runs Calcite's printing of the
 * models in its own SQL ({@link Dialect.ModelSql.Form#UNPARSED_PLAN}, Spark), each model is printed and asked of the
 * engine's dialect ({@link Dialect#unsupported}), so that a construct the engine lacks is an error located in the
 * model's file before anything runs, never a failed build halfway through a run.
 */
final class EngineChecks {
    private EngineChecks() {
    }

    /** The problems of {@code plan}'s models on {@code dialect}, each located in the model's file; empty when none. */
    static List<String> problems(Project project, ProjectPlan plan, Dialect dialect) {
        Dialect.ModelSql modelSql = dialect.modelSql();
        if (modelSql.form() != Dialect.ModelSql.Form.UNPARSED_PLAN) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (PlannedModel model : plan.models()) {
            String sql;
            try {
                sql = model.unparsedIn(modelSql.calciteDialect()).executableSql();
            } catch (SluiceException e) {
                problems.add(model.model().relativeFile() + ":1:1: " + e.getMessage());
                continue;
            }
            Optional<Dialect.Unsupported> unsupported = dialect.unsupported(sql);
            if (unsupported.isPresent()) {
                problems.add(String.format("%s: Cannot run model %s on engine %s: %s; write it in SQL the engine "
                        + "runs too, or run the project on engine duckdb", where(model, unsupported.get().word()),
                        model.name(), project.engine(), unsupported.get().reason()));
            }
        }
        return problems;
    }

    /** {@code file:line:column} of {@code word} called as a function in the model's file (its start when not found). */
    private static String where(PlannedModel model, String word) {
        String text = model.model().sql();
        int line = 1;
        int column = 1;
        if (word != null) {
            Matcher call = Pattern.compile("(?i)(?<![A-Za-z0-9_])" + Pattern.quote(word.toLowerCase(Locale.ROOT))
                    + "\\s*\\(").matcher(text);
            if (call.find()) {
                String before = text.substring(0, call.start());
                line = (int) before.chars().filter(c -> c == '\n').count() + 1;
                column = call.start() - before.lastIndexOf('\n');
            }
        }
        return model.model().relativeFile() + ":" + line + ":" + column;
    }
}
