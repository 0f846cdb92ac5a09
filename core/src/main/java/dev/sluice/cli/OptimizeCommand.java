package dev.sluice.cli;

import dev.sluice.Compaction;
import dev.sluice.Sluice;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = "Compact lake outputs: rewrite folders of small Parquet files into target-sized files.")
final class OptimizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The pipeline folder.")
    Path dir;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "Only this model.")
    String model;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Compaction> results = Sluice.open(dir).optimizeStorage(model);
        if (results.isEmpty()) {
            out.println("No lake output (storage format parquet) has been built; nothing to compact.");
        }
        for (Compaction result : results) {
            out.printf("%-9s %s: %d file(s), %d bytes -> %d file(s), %d bytes; %s%n",
                    result.rewritten() ? "COMPACTED" : "KEPT", result.model(), result.filesBefore(),
                    result.bytesBefore(), result.filesAfter(), result.bytesAfter(), result.reason());
        }
        return 0;
    }
}
