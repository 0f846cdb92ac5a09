package dev.sluice.exec;

import dev.sluice.ErrorCode;
import dev.sluice.ModelStatus;
import dev.sluice.RunOptions;
import dev.sluice.SluiceException;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.ModelRunRecord;
import dev.sluice.catalog.RunRecord;
import dev.sluice.plan.PlannedModel;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.plan.Selection;
import dev.sluice.project.Project;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Which planned models a command works on, from the run options' selectors (and the catalog, for --resume). */
final class ModelSelection {
    private ModelSelection() {
    }

    /** The models a command works on: its selectors and exclusions, and with --resume what the last run left. */
    static List<PlannedModel> select(Project project, ProjectPlan plan, RunOptions options, Catalog catalog) {
        List<String> select = split(options.select());
        // `--select ""` stays a selection, an empty one, which the plan refuses: never every model.
        List<PlannedModel> selected = plan.select(new Selection(select.isEmpty() && !options.select().isEmpty()
                ? List.of("") : select, split(options.exclude())));
        if (!options.resume()) {
            return selected;
        }
        RunRecord last = catalog == null ? null : catalog.runs().lastRun("run").orElse(null);
        if (last == null) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot resume: project '%s' has no earlier run; "
                    + "run it without --resume first", project.name());
        }
        // Failed and skipped models are retried; a path not taken was a decision, not something left unfinished.
        Set<String> unfinished = catalog.runs().modelRuns(last.runId()).stream()
                .filter(record -> ModelStatus.ofWord(record.status()).map(status -> !status.ok()).orElse(true))
                .map(ModelRunRecord::model).map(name -> name.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        return selected.stream().filter(m -> unfinished.contains(m.model().qualifiedName().toLowerCase(Locale.ROOT)))
                .toList();
    }

    /** Selectors may come as one string with several separated by spaces. */
    private static List<String> split(List<String> selectors) {
        return selectors.stream().flatMap(s -> java.util.Arrays.stream(s.trim().split("\\s+")))
                .filter(s -> !s.isEmpty()).toList();
    }
}
