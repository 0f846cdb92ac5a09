package dev.sluice.cli;

import dev.sluice.QueryResult;
import dev.sluice.Sluice;
import dev.sluice.State;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "state", mixinStandardHelpOptions = true,
        // DIR is optional to picocli only (see below): the synopsis shows it as the required folder it is.
        customSynopsis = {"sluice state [-hV] [-m=MODEL] DIR", "       sluice state reset [-hV] --yes -m=MODEL DIR"},
        description = "Show what incremental processing remembers: manifests, checkpoints and detections.",
        subcommands = StateCommand.Reset.class)
final class StateCommand implements Callable<Integer> {
    // Optional for picocli only, so that `state reset DIR` reaches the subcommand; call() requires it.
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", hideParamSyntax = true,
            description = "The pipeline folder.")
    Path dir;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "Only this model's checkpoints.")
    String model;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (dir == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Cannot show state: name the pipeline folder (sluice state DIR)");
        }
        State state = Sluice.open(dir).state(model);
        PrintWriter out = spec.commandLine().getOut();
        section(out, "Sources tracked by a manifest:", state.sources());
        section(out, "Checkpoints of incremental models:", state.checkpoints());
        section(out, "Latest detections:", state.detections());
        return 0;
    }

    private static void section(PrintWriter out, String title, QueryResult rows) {
        out.println(title);
        out.print(ResultFormat.text.render(rows));
        out.println();
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = "Forget a model's checkpoints so that its next run rebuilds it from all its input.")
    static final class Reset implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "The pipeline folder.")
        Path dir;

        @Option(names = {"-m", "--model"}, paramLabel = "MODEL", required = true, description = "The incremental model.")
        String model;

        @Option(names = "--yes", description = "Confirm: without it nothing is changed.")
        boolean yes;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (!yes) {
                out.printf("This forgets the checkpoints of model %s; its next run rebuilds it from all its input. "
                        + "Add --yes to do it.%n", model);
                return 2;
            }
            long removed = Sluice.open(dir).resetState(model);
            if (removed == 0) {
                out.printf("Model %s has no checkpoints to forget; its next run builds it from all its input.%n", model);
            } else {
                out.printf("Forgot %d checkpoint(s) of model %s; its next run rebuilds it in full.%n", removed, model);
            }
            return 0;
        }
    }
}
