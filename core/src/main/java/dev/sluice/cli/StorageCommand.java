package dev.sluice.cli;

import dev.sluice.Sluice;
import dev.sluice.StorageDecision;
import dev.sluice.StorageEffect;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "storage", mixinStandardHelpOptions = true,
        description = "Explain the storage layout of each table: statistics-based decisions and why.")
final class StorageCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The pipeline folder.")
    Path dir;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "Only this model.")
    String model;

    @Option(names = "--dry-run", description = "Propose layouts from the published tables' statistics now, "
            + "writing nothing.")
    boolean dryRun;

    @Option(names = "--measure", description = "Measure bytes and query times against CSV and default Parquet "
            + "(recorded in sluice.storage_effects).")
    boolean measure;

    @Option(names = "--stats", paramLabel = "TABLE", description = "Measure the statistics of a model, source or "
            + "table (schema.name) now.")
    String stats;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Sluice sluice = Sluice.open(dir);
        PrintWriter out = spec.commandLine().getOut();
        if (stats != null) {
            out.print(ResultFormat.text.render(sluice.statistics(stats)));
            return 0;
        }
        if (measure) {
            print(out, sluice.measureStorage(model));
            return 0;
        }
        List<StorageDecision> decisions = dryRun ? sluice.proposeStorage(model) : sluice.storageDecisions(model);
        if (decisions.isEmpty()) {
            out.println(dryRun ? "No built table to propose a layout for; run the pipeline first."
                    : "No storage decisions recorded yet; run the pipeline first.");
        }
        String current = null;
        for (StorageDecision decision : decisions) {
            if (!decision.model().equals(current)) {
                current = decision.model();
                out.printf("%s%s%n", current, decision.runId() == null ? " (proposed, nothing written)"
                        : " (run " + decision.runId() + ")");
            }
            out.printf("  %-12s %s%s%n      why: %s%n", decision.aspect(), decision.choice(),
                    decision.pinned() ? "  [pinned]" : "", decision.reason());
        }
        return 0;
    }

    private static void print(PrintWriter out, List<StorageEffect> effects) {
        out.printf("%-32s %-16s %14s %9s %11s %13s%n", "model", "layout", "bytes", "vs csv", "filter ms",
                "aggregate ms");
        long csv = 0;
        for (StorageEffect effect : effects) {
            if (effect.layout().equals("csv")) {
                csv = effect.bytes();
            }
            out.printf(Locale.ROOT, "%-32s %-16s %14d %8.1f%% %11s %13s%n", effect.model(), effect.layout(),
                    effect.bytes(), csv == 0 ? 100.0 : 100.0 * effect.bytes() / csv, millis(effect.filterMs()),
                    millis(effect.aggregateMs()));
        }
    }

    private static String millis(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }
}
