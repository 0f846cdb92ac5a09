package dev.sluice.cli;

import dev.sluice.Sluice;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ls", mixinStandardHelpOptions = true, description = "List the models and sources of a pipeline.")
final class LsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The pipeline folder.")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Sluice sluice = Sluice.open(dir);
        Project project = sluice.project();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Models (%s):%n", project.name());
        out.printf("  %-40s %-10s %-8s %s%n", "MODEL", "MATERIAL", "UPSTREAM", "TAGS");
        for (PlannedModel model : sluice.models()) {
            out.printf("  %-40s %-10s %8d %s%n", model.model().qualifiedName(),
                    model.model().materialized().name().toLowerCase(Locale.ROOT),
                    model.upstreamModels().size() + model.upstreamSources().size(),
                    String.join(",", model.model().tags()));
        }
        out.println("Sources:");
        for (Source source : project.sources()) {
            out.printf("  %-40s %s%n", source.qualifiedName(), source.spec().getClass().getSimpleName().toLowerCase(Locale.ROOT));
        }
        return 0;
    }
}
