package dev.sluice.cli;

import dev.sluice.Sluice;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "docs", mixinStandardHelpOptions = true,
        description = "Write a static HTML report for auditors: the model graph, each model's SQL, its columns with "
                + "their lineage, and its last run and quality results. One file, no server, nothing fetched.")
final class DocsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The pipeline folder.")
    Path dir;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to write the report (default: DIR/target/docs/index.html).")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Sluice sluice = Sluice.open(dir);
        Path written = sluice.docs(output != null ? output : sluice.project().root().resolve("target/docs/index.html"));
        spec.commandLine().getOut().println("Wrote " + written);
        return 0;
    }
}
