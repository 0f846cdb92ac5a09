package dev.sluice.cli;

import dev.sluice.RunListener;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.metrics.RunMetrics;
import dev.sluice.metrics.RunRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How {@code run} and {@code backfill} report a run: human lines on stdout or JSON lines on stderr
 * ({@code --log-format}), and the run's metrics in a file ({@code --metrics-file}), written also when the run fails
 * or ends in an error.
 */
final class RunOutput {
    private RunOutput() {
    }

    /** Opens the project, runs it with the listeners the options ask for, reports it; returns the exit code. */
    static int run(CommandSpec spec, Path metricsFile, Supplier<Sluice> open,
            BiFunction<Sluice, RunListener, RunResult> run) {
        Main main = (Main) spec.root().userObject();
        JsonLog json = main.logFormat == Main.LogFormat.JSON ? main.jsonLog() : null;
        ProgressPrinter printer = json != null ? null
                : new ProgressPrinter(spec.commandLine().getOut(), System.console() != null);
        RunListener log = json != null ? json : printer;
        RunMetrics metrics = metricsFile == null ? null : new RunMetrics();
        long start = System.nanoTime();
        RuntimeException failure = null;
        try {
            Sluice sluice = open.get();
            RunResult result = run.apply(sluice, metrics == null ? log : RunListener.all(log, metrics));
            if (metrics != null) {
                metrics.runFinished(result);
                record(sluice, result, metrics, log);
            }
            if (json != null) {
                json.summary(result);
            } else {
                printer.summary(result);
            }
            return result.succeeded() ? 0 : 1;
        } catch (RuntimeException e) {
            failure = e;
            if (metrics != null) {
                metrics.runFailed(Duration.ofNanos(System.nanoTime() - start));
            }
            throw e;
        } finally {
            if (metrics != null) {
                write(metrics, metricsFile, failure);
            }
        }
    }

    /** Writes the file; when the run itself ended in an error, that error is the one shown, this one kept behind. */
    private static void write(RunMetrics metrics, Path file, RuntimeException failure) {
        try (metrics) {
            metrics.writeTo(file);
        } catch (RuntimeException unwritten) {
            if (failure == null) {
                throw unwritten;
            }
            failure.addSuppressed(unwritten);
        }
    }

    /** Adds what only the catalog knows; the run's outcome stands when that cannot be read. */
    private static void record(Sluice sluice, RunResult result, RunMetrics metrics, RunListener log) {
        if (result.runId() == 0) {
            return;
        }
        try {
            metrics.catalogRecorded(RunRecord.read(sluice, result.runId(), Clock.systemUTC()));
        } catch (RuntimeException e) {
            log.notice("Cannot read the bytes and detected changes of run " + result.runId()
                    + " for the metrics file: " + e.getMessage() + "; the other metrics are written");
        }
    }
}
