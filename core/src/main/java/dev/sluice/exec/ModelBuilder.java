package dev.sluice.exec;

import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.QualityResult;
import dev.sluice.SluiceException;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.ModelRunRecord;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.ColumnMasks;
import dev.sluice.project.Model;
import dev.sluice.quality.Condition;
import dev.sluice.quality.Rule;
import dev.sluice.storage.StorageOptimizer;
import dev.sluice.storage.iceberg.IcebergWriter;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Builds one model: decides what its build reads and does, hands the build to the run's {@link Committer} (stage,
 * audit, commit, post-commit), and records the outcomes of models it does not build (up to date, skipped, failed
 * before building). Thread-safe: one instance per run.
 */
final class ModelBuilder {
    static final String STAGING_SUFFIX = "__sluice_staging";
    /** Thread-safe once configured: one mapper for the run-lineage JSON of every build. */
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final Engine engine;
    final Catalog catalog;
    final long runId;
    private final UnaryOperator<String> redact;
    final GateRunner gates;
    private final StorageOptimizer storage;
    private final RunInputs runInputs;
    private final RunEvents events;
    /** The project's vars as JSON, kept with each build's lineage. */
    final String parameters;
    private final Map<String, Condition.ModelQuality> facts = new ConcurrentHashMap<>();
    /** The models (qualified, lower case) whose relation this run published or found up to date: they exist. */
    private final java.util.Set<String> present = ConcurrentHashMap.newKeySet();
    /** The one path by which this run's builds publish. */
    final Committer committer;
    /** What writes the published models to their sinks. */
    final SinkStep sinks;
    /** The Iceberg tables of the models with storage: { format: iceberg }. */
    final IcebergWriter iceberg;

    /**
     * {@code redact} hides secret values in every error message before it is stored or returned; {@code parameters}
     * are the project's vars, kept as JSON with each build's lineage; {@code masks} the masked columns, masked in
     * quality samples and sinks.
     */
    ModelBuilder(Engine engine, Catalog catalog, long runId, UnaryOperator<String> redact, StorageOptimizer storage,
            RunInputs runInputs, RunEvents events, Map<String, Object> parameters, ColumnMasks masks) {
        this.engine = engine;
        this.storage = storage;
        this.catalog = catalog;
        this.runId = runId;
        this.redact = redact;
        this.gates = new GateRunner(catalog, runId, masks);
        this.runInputs = runInputs;
        this.events = events;
        Map<String, Object> values = new java.util.TreeMap<>();
        // Dates as their ISO text, as the model's SQL saw them; numbers and booleans stay JSON's own.
        parameters.forEach((name, value) -> values.put(name, value instanceof Number || value instanceof Boolean
                ? value : String.valueOf(value)));
        this.parameters = json(values);
        this.committer = new Committer(engine, this, storage.versions());
        this.sinks = new SinkStep(engine, catalog, runId, redact, masks);
        this.iceberg = new IcebergWriter(catalog.storage(), storage.projectRoot());
    }

    /** The version folders of the lake outputs, for the builds of windowed lake models. */
    dev.sluice.storage.LakeVersions lakeVersions() {
        return storage.versions();
    }

    /** Whether this run published {@code model}'s relation or found it up to date, so that it exists. */
    boolean presentInRun(Model model) {
        return present.contains(model.qualifiedName().toLowerCase(Locale.ROOT));
    }

    /** Notes that {@code model}'s relation exists: this run committed its publish or found it up to date. */
    void notePresent(Model model) {
        present.add(model.qualifiedName().toLowerCase(Locale.ROOT));
    }

    /** What conditions may read of the models built so far in this run. */
    Condition.Facts facts() {
        return model -> Optional.ofNullable(facts.get(model.toLowerCase(Locale.ROOT)));
    }

    /**
     * Builds a model; {@code increment} says what an incremental model folds in this run (null for other
     * materializations).
     */
    ModelResult build(PlannedModel planned, List<Rule> rules, String runReason, Increments.Increment increment) {
        Model model = planned.model();
        LocalDateTime startedAt = LocalDateTime.now();
        long start = System.nanoTime();
        if (increment != null && increment.upToDate()) {
            // Said first: the reason of an up-to-date model begins with why nothing was done.
            return upToDate(planned, increment.reason() + "; " + runReason);
        }
        String reason = increment == null ? runReason : runReason + "; " + increment.reason();
        List<RunInputs.Input> inputs = runInputs.of(planned, increment);
        String sql = increment == null ? planned.executableSql() : increment.sql();
        events.started(planned, inputs, sql);
        Committer.Built built = committer.commit(planned, new TableWork(this, storage, planned, rules, reason,
                increment, inputs, sql, start), reason, startedAt, start);
        events.finished(planned, inputs, sql, built.model(), built.bytes(), built.metrics());
        return built.model();
    }

    /** Builds a windowed model interval by interval, announced by its START and COMPLETE or FAIL events. */
    ModelResult buildWindowed(WindowBuilder windows, PlannedModel planned, List<Rule> rules, String reason) {
        List<RunInputs.Input> inputs = runInputs.of(planned, null);
        events.started(planned, inputs, planned.executableSql());
        ModelResult result = windows.build(this, planned, rules, reason, inputs);
        events.finished(planned, inputs, planned.executableSql(), result, null, List.of());
        return result;
    }

    /**
     * Before anything is staged, refuses a build that would not fit on the warehouse's disk: a {@code full} rebuild
     * takes about the room of the table it replaces, an increment at least the floor ({@link StorageOptimizer}).
     */
    void checkWarehouseSpace(Session session, Model model, boolean full) {
        storage.checkWarehouseSpace(session, model, full ? storage.publishedBytes(session, model) : 0);
    }

    /**
     * The outcome of a build whose work after its commit failed: a success still (the published table is complete
     * and nothing after the commit touches it), with the failure as its warning, recorded with its run where the
     * catalog takes it.
     */
    ModelResult warned(Model model, ModelResult result, RuntimeException failure) {
        return withWarning(model, result, redact.apply(String.format("Cannot finish after publishing model %s (%s): "
                + "%s; the published table is complete, only cleaning up older versions or measuring it did not "
                + "finish (the next build cleans up)", model.name(), model.relativeFile(), failure.getMessage())));
    }

    /**
     * The outcome of a published build with a warning added to the warnings it has, recorded with its run where the
     * catalog takes it.
     */
    ModelResult withWarning(Model model, ModelResult result, String text) {
        String warning = result.warning() == null ? text : result.warning() + "; " + text;
        try {
            catalog.runs().recordModelWarning(runId, model.qualifiedName(), warning);
        } catch (RuntimeException unrecorded) {
            // the catalog may be what failed: the warning is still on the result, and printed
        }
        return result.withWarning(warning);
    }

    ModelResult gateFailed(Session session, PlannedModel planned, GateRunner.Checked checked, long start,
            LocalDateTime startedAt, String reason) {
        Model model = planned.model();
        String error = String.format("Cannot publish model %s (%s): %s", model.name(), model.relativeFile(),
                checked.failure());
        ModelResult result = result(model, ModelStatus.FAILED, null, start, reason, error, checked.results());
        session.begin();
        gates.record(session, checked, false);
        catalog.runs().recordModelRun(session, record(planned, result, null, startedAt));
        session.commit();
        remember(model, result, checked, false);
        return result;
    }

    void remember(Model model, ModelResult result, GateRunner.Checked checked, boolean passed) {
        long rows = checked != null ? checked.outcome().rows() : result.rows() == null ? 0 : result.rows();
        double failedRows = checked == null ? 0 : metric(checked, "failed_rows");
        double failFraction = checked == null ? 0 : metric(checked, "fail_fraction");
        int warnings = checked == null ? 0 : (int) GateRunner.warnings(checked);
        facts.put(model.name().toLowerCase(Locale.ROOT),
                new Condition.ModelQuality(rows, (long) failedRows, failFraction, passed, warnings));
    }

    private static double metric(GateRunner.Checked checked, String name) {
        return checked.outcome().metrics().stream().filter(m -> m.column() == null && m.metric().equals(name))
                .findFirst().map(m -> m.value()).orElseThrow();
    }

    /** The inputs of a build as JSON: each relation read and the slice of it (files, watermarks, loads). */
    static String inputsJson(List<RunInputs.Input> inputs) {
        return json(inputs.stream().map(RunInputs.Input::json).toList());
    }

    static String verdicts(List<QualityResult> quality) {
        Map<String, String> verdicts = new LinkedHashMap<>();
        quality.forEach(result -> verdicts.put(result.rule(), result.verdict()));
        return json(verdicts);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("plain maps and lists always serialise", e);
        }
    }

    /**
     * Records a model found up to date: nothing is rebuilt; its published table stays as it is, and the result carries
     * its row count.
     */
    ModelResult upToDate(PlannedModel planned, String reason) {
        Model model = planned.model();
        long start = System.nanoTime();
        try (Session session = engine.session()) {
            long rows = session.query("SELECT count(*) FROM " + relation(model)).singleLong();
            ModelResult result = result(model, ModelStatus.UP_TO_DATE, rows, start, reason, null, List.of());
            catalog.runs().recordModelRun(session, record(planned, result, null, LocalDateTime.now()));
            facts.put(model.name().toLowerCase(Locale.ROOT), new Condition.ModelQuality(rows, 0, 0, true, 0));
            notePresent(model);
            // not rebuilt, but its sink may be behind (a failed or missed write): the target catches up
            return sinks.catchUp(model, committer.finishCleanUp(model, result));
        }
    }

    /** Records a model that was not built (skipped, or failed before building), with the reason. */
    ModelResult notBuilt(PlannedModel planned, ModelStatus status, String reason, String error) {
        ModelResult result = result(planned.model(), status, null, System.nanoTime(), reason, error, List.of());
        try (Session session = engine.session()) {
            return recorded(session, planned, result, null);
        }
    }

    /**
     * Records a model whose build threw an exception that escaped it: it failed, and the exception is its error. Never
     * throws, so that the other models of the run go on.
     */
    ModelResult failed(PlannedModel planned, String reason, RuntimeException failure) {
        Model model = planned.model();
        ModelResult result = result(model, ModelStatus.FAILED, null, System.nanoTime(), reason, String.format(
                "Cannot build model %s (%s): %s", model.name(), model.relativeFile(), describe(failure)), List.of());
        try (Session session = engine.session()) {
            result = recorded(session, planned, result, null);
        } catch (RuntimeException unavailable) {
            result = unrecorded(result, unavailable);
        }
        remember(model, result, null, false);
        return result;
    }

    /**
     * The result, recorded in {@code sluice.model_runs}; when recording fails too (a full disk), the result says so
     * in its error and is returned all the same, so that the run's summary still shows the model's own failure.
     */
    ModelResult recorded(Session session, PlannedModel planned, ModelResult result, LocalDateTime startedAt) {
        try {
            catalog.runs().recordModelRun(session, record(planned, result, null, startedAt));
            return result;
        } catch (RuntimeException e) {
            return unrecorded(result, e);
        }
    }

    private ModelResult unrecorded(ModelResult result, RuntimeException cause) {
        String note = "its outcome could not be recorded in sluice.model_runs: " + describe(cause);
        return new ModelResult(result.model(), result.relation(), result.materialized(), result.status(),
                result.rows(), result.duration(), result.reason(), redact.apply(result.error() == null ? note
                        : result.error() + "; " + note), result.quality());
    }

    /** Rolls back after {@code failure}; a rollback that fails too is added to it, never thrown in its place. */
    static void rollback(Session session, RuntimeException failure) {
        try {
            session.rollback();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * What went wrong, for a model's error: a SluiceException's message (with what was suppressed behind it); for
     * any other exception, a defect of Sluice, its type, message and where it was thrown.
     */
    static String describe(RuntimeException failure) {
        StringBuilder text = new StringBuilder();
        if (failure instanceof SluiceException) {
            text.append(failure.getMessage());
        } else {
            StackTraceElement[] trace = failure.getStackTrace();
            text.append("unexpected ").append(failure.getClass().getName()).append(": ").append(failure.getMessage())
                    .append(trace.length == 0 ? "" : " at " + trace[0]).append(" (a defect of Sluice; please report "
                            + "it)");
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            text.append(" (then: ").append(suppressed.getMessage()).append(')');
        }
        return text.toString();
    }

    static Map<String, String> columns(Session session, String relation) {
        Map<String, String> columns = new LinkedHashMap<>();
        session.query("DESCRIBE " + relation).values().forEach(row -> columns.put((String) row.get(0),
                (String) row.get(1)));
        return columns;
    }

    /** Drops the published relation, view or table, so the model may change materialization between runs. */
    static void dropExisting(Session session, Model model) {
        Object type = session.query("SELECT table_type FROM information_schema.tables WHERE table_catalog = "
                + "current_database() AND table_schema = ? AND table_name = ?", model.schema(), model.name()).single();
        if (type != null) {
            session.execute(("VIEW".equals(type) ? "DROP VIEW " : "DROP TABLE ") + relation(model));
        }
    }

    static String relation(Model model) {
        return Sql.qualified(model.schema(), model.name());
    }

    ModelResult result(Model model, ModelStatus status, Long rows, long start, String reason, String error,
            List<QualityResult> quality) {
        Duration duration = Duration.ofNanos(System.nanoTime() - start);
        return new ModelResult(model.name(), model.qualifiedName(), model.materialized().name().toLowerCase(Locale.ROOT),
                status, rows, duration, reason, error == null ? null : redact.apply(error), quality);
    }

    ModelRunRecord record(PlannedModel planned, ModelResult result, Long bytes, LocalDateTime startedAt) {
        return record(planned, result, bytes, startedAt, null);
    }

    /** The record of an outcome; {@code kind} is what the build did, null when it built nothing. */
    ModelRunRecord record(PlannedModel planned, ModelResult result, Long bytes, LocalDateTime startedAt,
            BuildKind kind) {
        return new ModelRunRecord(runId, result.relation(), result.relation(), result.materialized(),
                result.status().word(), result.rows(), bytes, startedAt, result.duration().toMillis(),
                planned.model().sqlHash(), result.reason(), result.error(), kind == null ? null : kind.word());
    }
}
