package dev.sluice.cli;

import dev.sluice.Backfill;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = "Restate a range of a windowed model's intervals, and what is downstream of them.")
final class BackfillCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The pipeline folder.")
    Path dir;

    @Option(names = {"-s", "--select"}, paramLabel = "MODEL", required = true, description = "The windowed model.")
    String model;

    @Option(names = "--from", paramLabel = "TIME", required = true,
            description = "Start of the range (UTC unless an offset is given): 2024-01-01, '2024-01-01 06:00'.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", required = true, description = "End of the range, excluded.")
    String to;

    @Option(names = "--no-cascade", description = "Restate only this model now; downstream windowed models catch up on their next run.")
    boolean noCascade;

    @Option(names = "--metrics-file", paramLabel = "PATH", description = "Write the backfill's metrics in the "
            + "Prometheus text format to PATH when it ends, also when it fails.")
    Path metricsFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Backfill backfill = Backfill.parse(model, from, to);
        if (noCascade) {
            backfill = backfill.withoutCascade();
        }
        Backfill chosen = backfill;
        return RunOutput.run(spec, metricsFile, () -> Sluice.open(dir), (sluice, listener) -> sluice.backfill(chosen,
                listener));
    }
}
