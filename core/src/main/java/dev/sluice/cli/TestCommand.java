package dev.sluice.cli;

import dev.sluice.ModelResult;
import dev.sluice.QualityResult;
import dev.sluice.RunListener;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.SourceResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run the quality gates of the selected models against what is published, without rebuilding.")
final class TestCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RunResult result = Sluice.open(project.dir, project.vars).test(project.options(), new RunListener() {
            @Override
            public void notice(String message) {
                out.println(message);
            }
        });
        for (SourceResult source : result.sources()) {
            print(out, source.source(), source.quality(), source.error());
        }
        for (ModelResult model : result.models()) {
            print(out, model.model(), model.quality(), model.error());
        }
        long rules = result.models().stream().mapToLong(m -> m.quality().size()).sum()
                + result.sources().stream().mapToLong(s -> s.quality().size()).sum();
        out.printf("Test run %d %s: %d rules on %d models and %d sources%n", result.runId(),
                result.succeeded() ? "passed" : "FAILED", rules, result.models().size(), result.sources().size());
        return result.succeeded() ? 0 : 1;
    }

    private static void print(PrintWriter out, String owner, List<QualityResult> results, String error) {
        for (QualityResult result : results) {
            out.printf(Locale.ROOT, "%-4s %-30s %-34s %s%n", result.verdict().toUpperCase(Locale.ROOT), owner,
                    result.rule(), result.message());
            if (!result.verdict().equals("pass") && result.sample() != null) {
                out.println("     failing rows: " + result.sample());
            }
        }
        if (results.isEmpty() && error != null) {
            out.printf("FAIL %-30s %s%n", owner, error);
        }
    }
}
