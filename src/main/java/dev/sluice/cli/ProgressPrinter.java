package dev.sluice.cli;

import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.RunListener;
import dev.sluice.RunResult;
import dev.sluice.SourceResult;
import dev.sluice.QualityResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Prints one line per source and model as they finish, and on a terminal a live progress line. */
final class ProgressPrinter implements RunListener {
    private final PrintWriter out;
    private final boolean terminal;
    private int started;

    ProgressPrinter(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void sourceLoaded(SourceResult source) {
        clearProgress();
        if (source.loaded()) {
            out.printf(Locale.ROOT, "LOADED   %-40s %,12d rows %8.2fs%s%n", source.source(), source.rows(),
                    seconds(source.duration()), source.rejected() > 0 ? "  (" + source.rejected() + " lines rejected)" : "");
        } else {
            out.printf(Locale.ROOT, "FAILED   %-40s %s%n", source.source(), source.error());
        }
        quality(source.quality());
        out.flush();
    }

    @Override
    public synchronized void notice(String message) {
        clearProgress();
        out.println(message);
        out.flush();
    }

    @Override
    public synchronized void modelStarted(String model) {
        started++;
        if (terminal) {
            out.printf("\r[started %d] %s ...\u001B[K", started, model);
            out.flush();
        }
    }

    @Override
    public synchronized void modelFinished(ModelResult model, int finished, int total) {
        clearProgress();
        String rows = model.rows() == null ? "" : String.format(Locale.ROOT, "%,d rows", model.rows());
        out.printf(Locale.ROOT, "%-8s %-40s %-9s %16s %8.2fs  [%d/%d]%n", model.status().name(), model.relation(),
                model.materialized(), rows, seconds(model.duration()), finished, total);
        quality(model.quality());
        if (model.warning() != null) {
            out.println("         warning: " + model.warning());
        }
        if (model.status() == ModelStatus.FAILED) {
            out.println("         " + model.error());
        } else if (model.status() == ModelStatus.SKIPPED) {
            out.println("         skipped: " + model.reason());
        } else if (model.reason().contains("late rows:")) {
            // Late data is never silent: what became of it is part of the run summary.
            out.println("         " + model.reason().substring(model.reason().indexOf("late rows:")));
        }
        out.flush();
    }

    /** One line per rule that did not pass: a failing gate is never silent. */
    private void quality(List<QualityResult> results) {
        for (QualityResult result : results) {
            if (!result.verdict().equals("pass")) {
                out.printf(Locale.ROOT, "         quality %-4s %s (%s): %s%n", result.verdict().toUpperCase(Locale.ROOT),
                        result.rule(), result.severity(), result.message());
            }
        }
    }

    void summary(RunResult result) {
        clearProgress();
        out.printf(Locale.ROOT, "Run %d %s in %.2fs: %d succeeded, %d failed, %d skipped%n", result.runId(),
                result.succeeded() ? "succeeded" : "FAILED", seconds(result.duration()),
                result.count(ModelStatus.SUCCESS), result.count(ModelStatus.FAILED), result.count(ModelStatus.SKIPPED));
        out.flush();
    }

    private void clearProgress() {
        if (terminal) {
            out.print("\r\u001B[K");
        }
    }

    private static double seconds(java.time.Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
