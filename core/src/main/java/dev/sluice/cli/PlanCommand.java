package dev.sluice.cli;

import dev.sluice.PlanStep;
import dev.sluice.Preview;
import dev.sluice.Sluice;
import dev.sluice.SourceChange;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Show what a run would build, in order, and why; nothing is written.")
final class PlanCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;

    @picocli.CommandLine.Option(names = "--resume",
            description = "Show what sluice run --resume would rerun: the models that failed or were skipped last run.")
    boolean resume;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Sluice sluice = Sluice.open(project.dir, project.vars);
        Preview preview = sluice.preview(resume ? project.options().withResume() : project.options());
        List<PlanStep> steps = preview.steps();
        PrintWriter out = spec.commandLine().getOut();
        List<SourceChange> changes = preview.changes();
        if (!changes.isEmpty()) {
            out.println("Tracked sources:");
            for (SourceChange change : changes) {
                out.printf("     %-40s %-9s %s%n", change.source(), change.detection(), change.summary());
            }
        }
        out.printf("%d model(s) would run, in this order:%n", steps.size());
        int index = 0;
        for (PlanStep step : steps) {
            index++;
            out.printf("%3d. %-40s %-9s %s%n", index, step.relation(), step.materialized(), step.file());
            out.printf("     why: %s%n", step.reason());
            if (!step.upstream().isEmpty()) {
                out.printf("     reads: %s%n", String.join(", ", step.upstream()));
            }
            if (step.lineageProblem() != null) {
                out.printf("     lineage: not derived: %s%n", step.lineageProblem());
            }
        }
        return 0;
    }
}
