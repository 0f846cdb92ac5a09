package dev.sluice.cli;

import dev.sluice.Sluice;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "init", mixinStandardHelpOptions = true, description = "Create a new pipeline folder with a working example.")
final class InitCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The folder to create.")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Sluice.init(dir);
        spec.commandLine().getOut().printf("Created pipeline %s; run it with: sluice run %s%n", dir, dir);
        return 0;
    }
}
