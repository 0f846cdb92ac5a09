package dev.sluice.cli;

import dev.sluice.ModelRun;
import dev.sluice.Run;
import dev.sluice.RunDetails;
import dev.sluice.Sluice;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "runs", mixinStandardHelpOptions = true, description = "Show recent runs and their per-model results.")
final class RunsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The pipeline folder.")
    Path dir;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "How many runs (default ${DEFAULT-VALUE}).")
    int limit = 5;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Sluice sluice = Sluice.open(dir);
        PrintWriter out = spec.commandLine().getOut();
        for (RunDetails details : sluice.runDetails(limit)) {
            Run run = details.run();
            out.printf("Run %d  %-8s started %s  finished %s  %s%s%n", run.runId(), run.status(), run.startedAt(),
                    run.finishedAt() == null ? "-" : run.finishedAt(), run.args(),
                    run.schedule() == null ? "" : "  (schedule " + run.schedule() + ")");
            for (ModelRun model : details.models()) {
                out.printf("    %-8s %-40s %12s %8dms  %s%n", model.status(), model.relation(),
                        model.rows() == null ? "" : model.rows() + " rows", model.durationMs(),
                        model.error() != null ? model.error() : model.reason() == null ? "" : model.reason());
            }
        }
        return 0;
    }
}
