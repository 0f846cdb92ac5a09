package dev.sluice.sink;

import static java.util.Objects.requireNonNull;

import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.SinkWriteRecord;
import dev.sluice.engine.Cursor;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.ColumnMasks;
import dev.sluice.project.Mask;
import dev.sluice.project.Model;
import dev.sluice.project.SinkSpec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Writes a model's published result to its sink after the warehouse publish, which stays the source of truth: the
 * increment of a build merged by key when the target holds the model's previous build, else the whole relation;
 * retried while the server cannot be reached; recorded in {@code sluice.sink_writes} either way, so that the next
 * run catches up a target left behind. Never throws: the outcome says what happened. Thread-safe (stateless).
 */
public final class SinkWriter {
    /** Where tests inject faults: the rows are staged on the target, its transaction still open. */
    public static final String STAGED = "sink-staged";
    /** Where tests inject faults: the target's table swapped or merged, just before its commit. */
    public static final String COMMIT = "sink-commit";

    /** A named point on the write, where tests inject faults ({@link #STAGED}, {@link #COMMIT}). */
    @FunctionalInterface
    public interface Hook {
        void reach(String point);
    }

    /**
     * What to write.
     *
     * @param model the model, with its sink
     * @param runId the run writing
     * @param modelRun the model's build the warehouse holds (the checkpoint the target reaches)
     * @param increment the relation holding the rows of this build's increment (their keys), or null when the build
     *     was whole or found up to date
     * @param onlyWhenBehind true when the model was not rebuilt: write only when the target is behind it
     */
    public record Request(Model model, long runId, long modelRun, String increment, boolean onlyWhenBehind) {
        public Request {
            requireNonNull(model, "model");
            requireNonNull(model.sink(), "model.sink");
        }
    }

    /**
     * What the write did: nothing (the target was current), written (kind and rows), or failed with a message that
     * names the model, its sink, the target table and the cause.
     */
    public record Outcome(Status status, String kind, Long rows, String error) {
        /** The outcome of a model whose target was already current. */
        static final Outcome CURRENT = new Outcome(Status.CURRENT, null, null, null);
    }

    /** What became of a write. */
    public enum Status { CURRENT, WRITTEN, FAILED }

    private final Engine engine;
    private final Catalog catalog;
    private final UnaryOperator<String> redact;
    private final Hook hook;
    private final ColumnMasks masks;

    /** {@code redact} hides the project's secrets in every message before it is stored or returned. */
    /** @param masks the masked columns of the run: a sink receives them masked, as any reader without unmask */
    public SinkWriter(Engine engine, Catalog catalog, UnaryOperator<String> redact, Hook hook, ColumnMasks masks) {
        this.engine = engine;
        this.catalog = catalog;
        this.redact = redact;
        this.hook = hook;
        this.masks = masks;
    }

    /** The OpenLineage dataset of a model's sink: namespace ({@code postgres://host:port}) and name. */
    public static List<String> dataset(Model model) {
        JdbcSinkSettings settings = (JdbcSinkSettings) model.sink().settings();
        return List.of(settings.namespace(), settings.datasetName());
    }

    public Outcome write(Request request) {
        Model model = request.model();
        SinkSpec spec = model.sink();
        JdbcSinkSettings settings = (JdbcSinkSettings) spec.settings();
        String target = settings.target();
        long start = System.nanoTime();
        boolean behind;
        try {
            behind = catalog.runs().sinkBehind(model.qualifiedName(), target,
                    request.onlyWhenBehind() ? Long.MAX_VALUE : request.runId());
        } catch (RuntimeException e) {
            return failed(request, settings, "full", start, "the catalog could not say what the target holds ("
                    + e.getMessage() + ")");
        }
        if (request.onlyWhenBehind() && !behind) {
            return Outcome.CURRENT;
        }
        boolean incrementOffered = request.increment() != null && spec.mode() == SinkSpec.Mode.MERGE && !behind;
        Map<String, Mask> masked = masks.of(model.qualifiedName());
        // a hashed, redacted or partial column is text wherever it goes; a nulled one keeps its type
        List<PostgresTypes.Column> columns = engine.columns(model.schema(), model.name()).stream()
                .map(c -> PostgresTypes.column(c.name(), maskedType(masked.get(c.name().toLowerCase(Locale.ROOT)),
                        c.type()))).toList();
        TargetWriter writer = new TargetWriter(settings, spec, hook);
        try (Session session = engine.session()) {
            TargetWriter.Rows rows = new TargetWriter.Rows(columns,
                    increment -> read(session, model, columns, masked, increment ? request.increment() : null),
                    incrementOffered);
            TargetWriter.Written written = settings.retries().call("sink of " + model.qualifiedName(),
                    SinkWriter::retryable, () -> writer.write(rows));
            catalog.runs().recordSinkWrite(new SinkWriteRecord(request.runId(), model.qualifiedName(), target,
                    mode(spec), written.kind(), request.modelRun(), "success", written.rows(),
                    millis(start), null, LocalDateTime.now()));
            return new Outcome(Status.WRITTEN, written.kind(), written.rows(), null);
        } catch (Exception e) {
            String cause = cause(e, settings);
            return failed(request, settings, incrementOffered ? "increment" : "full", start, cause);
        } finally {
            dropIncrement(request);
        }
    }

    private Outcome failed(Request request, JdbcSinkSettings settings, String kind, long start, String cause) {
        Model model = request.model();
        String error = redact.apply(String.format("Cannot write model %s's sink (%s) to %s: %s; the warehouse has "
                + "the new data and the sink table does not (it keeps its previous rows): fix the cause and run "
                + "again, the next run writes the sink to catch up", model.name(), model.sink().location(),
                settings.target(), cause));
        try {
            catalog.runs().recordSinkWrite(new SinkWriteRecord(request.runId(), model.qualifiedName(),
                    settings.target(), mode(model.sink()), kind, null, "failed", null, millis(start), error,
                    LocalDateTime.now()));
        } catch (RuntimeException unrecorded) {
            // the catalog may be what failed: the model's result still carries the error, and the write is
            // retried whole by the next run (no success was recorded for this build)
        }
        return new Outcome(Status.FAILED, kind, null, error);
    }

    /** The rows the warehouse sends: the whole model, or those whose key is in {@code increment}. */
    private static Cursor read(Session session, Model model, List<PostgresTypes.Column> columns,
            Map<String, Mask> masked, String increment) {
        String select = "SELECT " + String.join(", ", columns.stream().map(column -> {
            Mask mask = masked.get(column.name().toLowerCase(Locale.ROOT));
            return mask == null ? column.select() : session.dialect().maskExpression(column.select(), mask) + " AS "
                    + Sql.identifier(column.name());
        }).toList()) + " FROM " + Sql.qualified(model.schema(), model.name());
        if (increment == null) {
            return session.stream(select);
        }
        String keys = String.join(" AND ", model.sink().key().stream().map(key -> Sql.qualified(model.schema(),
                model.name()) + "." + Sql.identifier(key) + " IS NOT DISTINCT FROM s." + Sql.identifier(key))
                .toList());
        return session.stream(select + " WHERE EXISTS (SELECT 1 FROM " + increment + " AS s WHERE " + keys + ")");
    }

    private static String maskedType(Mask mask, String type) {
        return mask == null || mask == Mask.NULL ? type : "VARCHAR";
    }

    /** The increment kept for the sink is dropped whatever happened: a later write that needs rows reads them all. */
    private void dropIncrement(Request request) {
        if (request.increment() != null) {
            try (Session session = engine.session()) {
                session.execute("DROP TABLE IF EXISTS " + request.increment());
            } catch (RuntimeException e) {
                // left behind: the model's next increment replaces it
            }
        }
    }

    /** Connection failures and a connection lost on the way (killed, server shut down) are tried again. */
    static boolean retryable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof SocketTimeoutException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    private static String cause(Exception e, JdbcSinkSettings settings) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SQLException sql && sql.getSQLState() != null) {
            message = message + " (SQL state " + sql.getSQLState() + ")";
        } else if (e instanceof IOException) {
            message = "the connection failed: " + message;
        }
        return retryable(e) ? "the server cannot be reached after " + (settings.retries().retries() + 1)
                + " attempts: " + message : message;
    }

    private static String mode(SinkSpec spec) {
        return spec.mode().name().toLowerCase(Locale.ROOT);
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
