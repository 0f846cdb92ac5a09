package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.ModelResult;
import dev.sluice.QualityResult;
import dev.sluice.RunListener;
import dev.sluice.RunResult;
import dev.sluice.SourceResult;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * {@code --log-format json}: one JSON object per line for each event the human format prints (sources loaded, models
 * finished, quality verdicts, warnings, late rows, notices, the summary and errors), with {@code time}, {@code level},
 * {@code run_id}, {@code model}, {@code event} and {@code message}, plus the event's own fields. Thread-safe.
 */
final class JsonLog implements RunListener {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter err;
    private final Clock clock;
    /** The run the events belong to, once the catalog has recorded it. */
    private Long runId;

    JsonLog(PrintWriter err, Clock clock) {
        this.err = err;
        this.clock = clock;
    }

    @Override
    public synchronized void runStarted(long id) {
        runId = id;
        write(line("INFO", "run_started", null, "Run " + id + " started"));
    }

    @Override
    public synchronized void sourceLoaded(SourceResult source) {
        ObjectNode line = source.loaded()
                ? line("INFO", "source_loaded", null, String.format(Locale.ROOT, "LOADED %s: %s in %.2fs%s",
                        source.source(), source.counted() ? source.rows() + " rows" : "read in place",
                        source.duration().toMillis() / 1000.0,
                        source.rejected() > 0 ? " (" + source.rejected() + " lines rejected)" : ""))
                : line("ERROR", "source_failed", null, source.error());
        line.put("source", source.source()).put("rows", source.counted() ? source.rows() : null)
                .put("rejected", source.rejected())
                .put("duration_ms", source.duration().toMillis());
        write(line);
        quality(null, source.source(), source.quality());
    }

    @Override
    public synchronized void modelStarted(String model) {
        write(line("INFO", "model_started", model, "started " + model));
    }

    @Override
    public synchronized void modelFinished(ModelResult model, int finished, int total) {
        String level = switch (model.status()) {
            case SUCCESS, UP_TO_DATE, NOT_TAKEN -> "INFO";
            case SKIPPED -> "WARN";
            case FAILED -> "ERROR";
        };
        String message = switch (model.status()) {
            case FAILED -> model.error();
            case SKIPPED -> "skipped: " + model.reason();
            case NOT_TAKEN -> "not taken: " + model.reason();
            case SUCCESS, UP_TO_DATE -> model.status().label() + " " + model.relation()
                    + (model.rows() == null ? "" : String.format(Locale.ROOT, ": %d rows", model.rows()));
        };
        ObjectNode line = line(level, "model_finished", model.model(), message).put("status", model.status().word())
                .put("relation", model.relation()).put("materialized", model.materialized())
                .put("duration_ms", model.duration().toMillis()).put("finished", finished).put("total", total);
        if (model.rows() != null) {
            line.put("rows", model.rows());
        }
        if (model.reason() != null) {
            line.put("reason", model.reason());
        }
        write(line);
        quality(model.model(), model.model(), model.quality());
        if (model.warning() != null) {
            write(line("WARN", "model_warning", model.model(), model.warning()));
        }
        if (model.status().ok() && model.lateRows().total() > 0) {
            write(line("WARN", "late_rows", model.model(), model.lateRows().describe())
                    .put("late_rows", model.lateRows().total()));
        }
        if (model.status().ok() && model.nothingRestated() != null) {
            write(line("WARN", "nothing_restated", model.model(),
                    "backfill: nothing restated: " + model.nothingRestated()));
        }
    }

    private void quality(String model, String owner, List<QualityResult> results) {
        for (QualityResult result : results) {
            if (result.verdict().equals("pass")) {
                continue;
            }
            String severity = result.severity() == null ? "" : result.severity();
            write(line(result.verdict().equals("fail") ? "ERROR" : "WARN", "quality", model,
                    String.format(Locale.ROOT, "quality %s %s: %s [%s]", result.verdict().toUpperCase(Locale.ROOT),
                            result.rule(), result.message(), ProgressPrinter.effect(result.verdict(), severity)))
                    .put("owner", owner).put("rule", result.rule()).put("severity", severity)
                    .put("verdict", result.verdict()).put("rows_failed", result.rowsFailed()));
        }
    }

    @Override
    public synchronized void notice(String message) {
        write(line("INFO", "notice", null, message));
    }

    synchronized void summary(RunResult result) {
        runId = result.runId();
        boolean ok = result.succeeded();
        write(line(ok ? "INFO" : "ERROR", "run_finished", null, String.format(Locale.ROOT, "Run %d %s in %.2fs",
                result.runId(), ok ? "succeeded" : "FAILED", result.duration().toMillis() / 1000.0))
                .put("status", ok ? "success" : "failed").put("duration_ms", result.duration().toMillis())
                .put("models", result.models().size()));
    }

    /** An error that ended the command: the line Main prints as {@code error: ...} in the human format. */
    synchronized void error(String event, String message, int exitCode) {
        write(line("ERROR", event, null, message).put("exit_code", exitCode));
    }

    private ObjectNode line(String level, String event, String model, String message) {
        ObjectNode line = JSON.createObjectNode().put("time", clock.instant().toString()).put("level", level);
        if (runId == null) {
            line.putNull("run_id");
        } else {
            line.put("run_id", runId);
        }
        return line.put("model", model).put("event", event).put("message", message);
    }

    private void write(ObjectNode line) {
        try {
            err.println(JSON.writeValueAsString(line));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        err.flush();
    }
}
