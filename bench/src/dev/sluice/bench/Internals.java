package dev.sluice.bench;

import dev.sluice.Sluice;
import dev.sluice.exec.Pipeline;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectReader;
import java.util.List;
import java.util.Map;

/**
 * The internal project and plan behind a {@link Sluice}, which benchmarks use to run the same statements raw: the
 * public API returns its own values (ProjectInfo, ModelInfo), not these.
 */
final class Internals {
    private Internals() {
    }

    /** The project of the folder {@code sluice} opened, read again (without --var overrides). */
    static Project project(Sluice sluice) {
        return ProjectReader.read(sluice.project().root(), Map.of());
    }

    /** The planned models of that project, in dependency order. */
    static List<PlannedModel> models(Sluice sluice) {
        return new Pipeline(project(sluice), Sluice.VERSION).plan().models();
    }
}
