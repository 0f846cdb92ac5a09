package dev.sluice.cli;

import dev.sluice.LatenessAdvice;
import dev.sluice.Sluice;
import dev.sluice.WindowReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "windows", mixinStandardHelpOptions = true,
        description = "Show the intervals of windowed models and their late rows; --recommend proposes a lateness.")
final class WindowsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The pipeline folder.")
    Path dir;

    @Option(names = "--recommend", description = "Propose a lateness per model and source from measured arrival lags.")
    boolean recommend;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        WindowReport report = Sluice.open(dir).windows();
        PrintWriter out = spec.commandLine().getOut();
        out.println("Intervals (consecutive intervals with the same state and run merged):");
        out.print(ResultFormat.text.render(report.intervals()));
        out.println();
        out.println("Late rows:");
        out.print(ResultFormat.text.render(report.lateRows()));
        if (recommend) {
            out.println();
            if (report.advice().isEmpty()) {
                out.println("No arrival lags measured yet: run the pipeline first.");
            }
            for (LatenessAdvice advice : report.advice()) {
                out.printf(Locale.ROOT, "%s, %s.%s (%s clock): lateness now %s; %d late rows measured, lag (worst run) p50 %s, "
                        + "p95 %s, p99 %s, max %s%n", advice.model(), advice.source(), advice.column(), advice.clock(),
                        advice.current(), advice.lateRows(), seconds(advice.p50Seconds()), seconds(advice.p95Seconds()),
                        seconds(advice.p99Seconds()), seconds(advice.maxSeconds()));
                for (LatenessAdvice.Option option : advice.options()) {
                    out.printf(Locale.ROOT, "  lateness %-10s would have caught %6.2f%% of late rows%s%n",
                            option.lateness(), option.shareCaught() * 100,
                            option.equals(advice.recommended()) ? "   <- recommended" : "");
                }
                if (advice.recommended() == null && advice.lateRows() > 0) {
                    out.println("  no setting up to a year catches 99% of late rows; consider late_policy: reprocess");
                }
            }
        }
        return 0;
    }

    private static String seconds(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.0f s", value);
    }
}
