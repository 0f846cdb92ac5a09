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
            out.printf(Locale.ROOT, "LOADED   %-40s %17s %8.2fs%s%n", source.source(), source.counted()
                    ? String.format(Locale.ROOT, "%,12d rows", source.rows()) : "read in place",
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
        out.printf(Locale.ROOT, "%-10s %-40s %-9s %16s %8.2fs  [%d/%d]%n", model.status().label(), model.relation(),
                model.materialized(), rows, seconds(model.duration()), finished, total);
        quality(model.quality());
        if (model.warning() != null) {
            out.println("         warning: " + model.warning());
        }
        switch (model.status()) {
            case FAILED -> out.println("         " + model.error());
            case SKIPPED -> out.println("         skipped: " + model.reason());
            case NOT_TAKEN -> out.println("         not taken: " + model.reason());
            case SUCCESS, UP_TO_DATE -> {
                if (model.lateRows().total() > 0) {
                    // Late data is never silent: what became of it is part of the run summary.
                    out.println("         " + model.lateRows().describe());
                }
                if (model.nothingRestated() != null) {
                    // A backfill that restated nothing says so rather than succeeding silently.
                    out.println("         backfill: nothing restated: " + model.nothingRestated());
                }
            }
        }
        out.flush();
    }

    /** One line per rule that did not pass: a failing gate is never silent. */
    private void quality(List<QualityResult> results) {
        for (QualityResult result : results) {
            if (!result.verdict().equals("pass")) {
                out.printf(Locale.ROOT, "         quality %-4s %s: %s [%s]%n", result.verdict().toUpperCase(Locale.ROOT),
                        result.rule(), result.message(), effect(result.verdict(), result.severity()));
            }
        }
    }

    /**
     * What a verdict did, with the rule's severity: the severity alone ({@code (fail)} after a warning) reads as a
     * contradiction.
     */
    static String effect(String verdict, String severity) {
        if (verdict.equals("fail")) {
            return "severity " + severity + ": not published";
        }
        return switch (severity) {
            case "fail" -> "severity fail: past its warn level only, published";
            case "quarantine" -> "severity quarantine: failing rows set aside, the rest published";
            default -> "severity " + severity + ": recorded, published";
        };
    }

    void summary(RunResult result) {
        clearProgress();
        StringBuilder counts = new StringBuilder().append(result.count(ModelStatus.SUCCESS)).append(" succeeded");
        // Shown only when there are some, so that the usual summary stays short.
        for (ModelStatus quiet : List.of(ModelStatus.UP_TO_DATE, ModelStatus.NOT_TAKEN)) {
            if (result.count(quiet) > 0) {
                counts.append(", ").append(result.count(quiet)).append(' ').append(quiet.label().toLowerCase(Locale.ROOT));
            }
        }
        counts.append(", ").append(result.count(ModelStatus.FAILED)).append(" failed, ")
                .append(result.count(ModelStatus.SKIPPED)).append(" skipped");
        out.printf(Locale.ROOT, "Run %d %s in %.2fs: %s%n", result.runId(),
                result.succeeded() ? "succeeded" : "FAILED", seconds(result.duration()), counts);
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
