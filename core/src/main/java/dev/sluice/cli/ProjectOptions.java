package dev.sluice.cli;

import dev.sluice.RunOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The project folder and selection options shared by {@code run} and {@code plan}. */
final class ProjectOptions {
    @Parameters(index = "0", paramLabel = "DIR", description = "The pipeline folder (holding sluice.yml).")
    Path dir;

    @Option(names = {"-s", "--select"}, paramLabel = "SELECTOR",
            description = "Models to act on: name, name+ (with downstream), +name (with upstream), tag:x; "
                    + "repeatable, or several separated by spaces.")
    List<String> select = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "SELECTOR", description = "Models to leave out (same syntax).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Override a parameter from sluice.yml vars.")
    Map<String, String> vars = new LinkedHashMap<>();

    RunOptions options() {
        return new RunOptions(select, exclude, vars, 0, false, false, false, null);
    }
}
