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
import dev.sluice.ErrorCode;
import dev.sluice.incremental.SchemaChange;
import dev.sluice.project.Incremental;
import dev.sluice.project.Materialization;
import dev.sluice.project.Model;
import dev.sluice.project.StorageSpec;
import dev.sluice.quality.Condition;
import dev.sluice.quality.Rule;
import dev.sluice.storage.Layout;
import dev.sluice.storage.LakeWriter;
import dev.sluice.storage.StorageOptimizer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Builds one model with write-audit-publish: the new relation is built under a staging name, audited by the
 * model's quality gate (failing rows quarantined where the rules say so), and swapped in with the model's catalog
 * records in one transaction. A failed gate, a failure or a killed process leaves the published relation and the
 * catalog as they were, and no staging relation is ever committed.
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

    /**
     * {@code redact} hides secret values in every error message before it is stored or returned; {@code parameters}
     * are the project's vars, kept as JSON with each build's lineage.
     */
    ModelBuilder(Engine engine, Catalog catalog, long runId, UnaryOperator<String> redact, StorageOptimizer storage,
            RunInputs runInputs, RunEvents events, Map<String, Object> parameters) {
        this.engine = engine;
        this.storage = storage;
        this.catalog = catalog;
        this.runId = runId;
        this.redact = redact;
        this.gates = new GateRunner(catalog, runId);
        this.runInputs = runInputs;
        this.events = events;
        Map<String, Object> values = new java.util.TreeMap<>();
        // Dates as their ISO text, as the model's SQL saw them; numbers and booleans stay JSON's own.
        parameters.forEach((name, value) -> values.put(name, value instanceof Number || value instanceof Boolean
                ? value : String.valueOf(value)));
        this.parameters = json(values);
    }

    /** The version folders of the lake outputs, for the builds of windowed lake models. */
    dev.sluice.storage.LakeVersions lakeVersions() {
        return storage.versions();
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
        Built built = publish(planned, rules, reason, increment, inputs, sql, startedAt, start);
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

    /** A build's result with what its OpenLineage event reports besides: bytes on disk and the gate's metrics. */
    private record Built(ModelResult model, Long bytes, List<dev.sluice.quality.MetricValue> metrics) {
    }

    /**
     * Builds and publishes a model. A lake model first claims its version folder, committed on its own before the
     * publishing transaction begins (which then sees the claim); a build that does not publish gives it up.
     */
    private Built publish(PlannedModel planned, List<Rule> rules, String reason, Increments.Increment increment,
            List<RunInputs.Input> inputs, String sql, LocalDateTime startedAt, long start) {
        Model model = planned.model();
        Path claimed = null;
        if (model.storage().effectiveFormat() == StorageSpec.Format.PARQUET) {
            try {
                claimed = storage.versions().claim(model, runId);
            } catch (SluiceException e) {
                try (Session session = engine.session()) {
                    return new Built(failed(session, planned, e, start, startedAt, reason, null), null, List.of());
                }
            }
        }
        boolean published = false;
        try {
            Built built = publish(planned, rules, reason, increment, inputs, sql, startedAt, start, claimed);
            published = built.model().status() == ModelStatus.SUCCESS;
            return built;
        } finally {
            if (claimed != null && !published) {
                abandon(model, claimed);
            }
        }
    }

    /**
     * Before anything is staged, refuses a build that would not fit on the warehouse's disk: a {@code full} rebuild
     * takes about the room of the table it replaces, an increment at least the floor ({@link StorageOptimizer}).
     */
    void checkWarehouseSpace(Session session, Model model, boolean full) {
        storage.checkWarehouseSpace(session, model, full ? storage.publishedBytes(session, model) : 0);
    }

    /** Gives up the version folder a lake build claimed and did not publish; on failure the next publish does. */
    private void abandon(Model model, Path claimed) {
        try {
            storage.versions().abandon(model, runId, claimed);
        } catch (RuntimeException e) {
            // the claim stays recorded as a version that is not current: the model's next publish deletes it
        }
    }

    private Built publish(PlannedModel planned, List<Rule> rules, String reason, Increments.Increment increment,
            List<RunInputs.Input> inputs, String sql, LocalDateTime startedAt, long start, Path claimed) {
        Model model = planned.model();
        try (Session session = engine.session()) {
            session.begin();
            GateRunner.Checked checked = null;
            Path lakeVersion = null;
            Layout layout = null;
            // what a pinned partition column costs each increment folded into a lake output
            List<String> foldWarnings = List.of();
            try {
                if (model.materialized() != Materialization.VIEW) {
                    checkWarehouseSpace(session, model, increment == null || increment.full());
                }
                String relation = switch (model.materialized()) {
                    case VIEW -> createView(session, planned);
                    case TABLE, INCREMENTAL -> createStaging(session, model, sql, increment != null && !increment.full());
                    case EPHEMERAL -> throw new IllegalStateException("ephemeral model " + model.name() + " is inlined");
                };
                // Folding new rows into an incremental table, scope: table rules check the table once they are in.
                boolean folding = increment != null && !increment.full();
                List<Rule> sliceRules = folding ? rules.stream().filter(r -> r.scope() == Rule.Scope.SLICE).toList()
                        : rules;
                List<Rule> tableRules = folding ? rules.stream().filter(r -> r.scope() == Rule.Scope.TABLE).toList()
                        : List.of();
                if (!sliceRules.isEmpty()) {
                    checked = gates.check(session, model, sliceRules, relation);
                    if (!checked.passed()) {
                        session.rollback();
                        return new Built(gateFailed(session, planned, checked, start, startedAt, reason), null,
                                checked.outcome().metrics());
                    }
                    gates.quarantine(session, checked, model.schema(), model.name(), relation);
                }
                Long rows = null;
                if (model.materialized() != Materialization.VIEW) {
                    rows = session.query("SELECT count(*) FROM " + relation).singleLong();
                    if (increment == null || increment.full()) {
                        // A full build: its layout is decided from the staged rows and applied before the publish.
                        String staging = model.name() + STAGING_SUFFIX;
                        layout = storage.decide(session, model, staging, runId);
                        if (layout.format() == StorageSpec.Format.PARQUET) {
                            dropExisting(session, model);
                            lakeVersion = storage.writeLake(session, model, staging, layout, claimed, runId);
                            session.execute("DROP TABLE " + relation);
                        } else {
                            // staged, not yet committed: the commit and its checkpoint write the table
                            storage.checkWarehouseSpace(session, model, layout.estimatedBytes());
                            storage.sortStaging(session, model.schema(), staging, layout);
                            dropExisting(session, model);
                            session.execute("ALTER TABLE " + relation + " RENAME TO " + Sql.identifier(model.name()));
                            storage.index(session, model, layout);
                        }
                    } else if (model.storage().effectiveFormat() == StorageSpec.Format.PARQUET) {
                        foldWarnings = storage.foldLake(session, model, model.name() + STAGING_SUFFIX, claimed, runId)
                                .warnings();
                        lakeVersion = claimed;
                        session.execute("DROP TABLE " + relation);
                    } else {
                        // staged, not yet committed: the increment's own size, not only the floor
                        storage.checkWarehouseSpace(session, model, StorageOptimizer.stagedBytes(session,
                                model.schema(), model.name() + STAGING_SUFFIX));
                        fold(session, model, relation);
                    }
                    if (!tableRules.isEmpty()) {
                        GateRunner.Checked whole = gates.check(session, model, tableRules, relation(model));
                        if (!whole.passed()) {
                            session.rollback();
                            return new Built(gateFailed(session, planned, whole, start, startedAt, reason), null,
                                    whole.outcome().metrics());
                        }
                        checked = checked == null ? whole : checked.with(whole);
                    }
                }
                if (increment != null) {
                    for (Map.Entry<String, Long> checkpoint : increment.checkpoints().entrySet()) {
                        catalog.recordCheckpoint(session, model.qualifiedName(), checkpoint.getKey(), checkpoint.getValue(), runId);
                    }
                }
                List<QualityResult> quality = checked == null ? List.of() : checked.results();
                ModelResult result = result(model, ModelStatus.SUCCESS, rows, start, reason, null, quality);
                // One record of the build, committed with it; what follows the commit never records it again.
                if (checked != null) {
                    gates.record(session, checked, true);
                }
                catalog.recordModelRun(session, record(planned, result, null, startedAt));
                catalog.recordRunLineage(session, runId, model.qualifiedName(), "success", inputsJson(inputs), rows,
                        model.sqlHash(), sql, verdicts(quality), engine.version(), parameters);
                FaultPoints.reach(FaultPoints.COMMIT, model.name(), session);
                session.commit();
                List<String> storageWarnings = layout != null ? layout.warnings() : foldWarnings;
                if (!storageWarnings.isEmpty()) {
                    result = withWarning(model, result, String.format("Model %s (%s) is published, but its storage "
                            + "settings cost it: %s%s", model.name(), model.relativeFile(), layout == null
                            ? "this increment: " : "", String.join("; ", storageWarnings)));
                }
                Long bytes = null;
                // Best effort: the published table is complete, and nothing here touches it or the build's record.
                try {
                    FaultPoints.reach(FaultPoints.AFTER_COMMIT, model.name(), session);
                    if (rows != null && (increment == null || increment.full() || lakeVersion != null)) {
                        storage.afterPublish(session, model, lakeVersion, runId);
                    }
                    if (layout != null) {
                        storage.measure(session, model, layout, runId);
                    }
                    if (lakeVersion != null) {
                        bytes = LakeWriter.bytes(lakeVersion);
                        catalog.recordModelBytes(session, runId, model.qualifiedName(), bytes);
                    } else if (rows != null) {
                        // Blocks are written at commit: the size on disk is known only now. A small table may stay in
                        // the write-ahead log until DuckDB's next checkpoint; its size is then unknown (NULL), never
                        // guessed.
                        long onDisk = dev.sluice.storage.Measurement.blocksOnDisk(session, model.qualifiedName());
                        if (onDisk > 0) {
                            bytes = onDisk;
                            catalog.recordModelBytes(session, runId, model.qualifiedName(), onDisk);
                        }
                    }
                } catch (RuntimeException e) {
                    result = warned(model, result, e);
                }
                remember(model, result, checked, true);
                return new Built(result, bytes, checked == null ? List.of() : checked.outcome().metrics());
            } catch (RuntimeException e) {
                // only before the commit: the claimed lake version is given up by the caller
                rollback(session, e);
                return new Built(failed(session, planned, e, start, startedAt, reason, checked), null, List.of());
            }
        }
    }

    /** Records a build that failed before its commit (nothing of it was published). */
    private ModelResult failed(Session session, PlannedModel planned, RuntimeException e, long start,
            LocalDateTime startedAt, String reason, GateRunner.Checked checked) {
        Model model = planned.model();
        String error = String.format("Cannot build model %s (%s): %s", model.name(), model.relativeFile(),
                describe(e));
        ModelResult result = recorded(session, planned, result(model, ModelStatus.FAILED, null, start, reason, error,
                List.of()), startedAt);
        remember(model, result, checked, false);
        return result;
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
    private ModelResult withWarning(Model model, ModelResult result, String text) {
        String warning = result.warning() == null ? text : result.warning() + "; " + text;
        try {
            catalog.recordModelWarning(runId, model.qualifiedName(), warning);
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
        catalog.recordModelRun(session, record(planned, result, null, startedAt));
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
    private static String inputsJson(List<RunInputs.Input> inputs) {
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
            catalog.recordModelRun(session, record(planned, result, null, LocalDateTime.now()));
            facts.put(model.name().toLowerCase(Locale.ROOT), new Condition.ModelQuality(rows, 0, 0, true, 0));
            return result;
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
            catalog.recordModelRun(session, record(planned, result, null, startedAt));
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

    private static String createView(Session session, PlannedModel planned) {
        dropExisting(session, planned.model());
        String relation = relation(planned.model());
        session.execute("CREATE VIEW " + relation + " AS " + planned.executableSql());
        return relation;
    }

    private static String createStaging(Session session, Model model, String sql, boolean folding) {
        String staging = Sql.qualified(model.schema(), model.name() + STAGING_SUFFIX);
        session.execute("CREATE OR REPLACE TABLE " + staging + " AS " + sql);
        if (model.materialized() == Materialization.INCREMENTAL
                && model.incremental().strategy() == Incremental.Strategy.MERGE) {
            keepWinners(session, model, staging, folding);
        }
        return staging;
    }

    /**
     * A merge keeps one row per key whatever the batching of its input into runs: of the staged rows of one key, the
     * winner has the greatest {@code order_by} value, ties (and models without order_by) going to the row staged
     * last. Staged rows keep the order the query returns them in (DuckDB preserves insertion order), which for a
     * source read as it is means its load order: run, then file, then line. When folding, a staged row losing to the
     * row held for its key by order_by is dropped too, so that a full build and every sequence of incremental builds
     * agree.
     */
    private static void keepWinners(Session session, Model model, String staging, boolean folding) {
        Incremental incremental = model.incremental();
        String keys = String.join(", ", incremental.uniqueKey().stream().map(Sql::identifier).toList());
        String column = incremental.orderBy() == null ? null : Sql.identifier(incremental.orderBy());
        // Keys are nearly always unique within a batch: one grouping finds out, and only then do all staged rows
        // pay for the ranking (a window over millions of rows costs several times the grouping).
        boolean repeated = Boolean.TRUE.equals(session.query("SELECT EXISTS (SELECT 1 FROM " + staging + " GROUP BY "
                + keys + " HAVING count(*) > 1)").single());
        if (repeated) {
            session.execute("DELETE FROM " + staging + " WHERE rowid IN (SELECT rowid FROM " + staging
                    + " QUALIFY row_number() OVER (PARTITION BY " + keys + " ORDER BY "
                    + (column == null ? "" : column + " DESC NULLS LAST, ") + "rowid DESC) > 1)");
        }
        if (folding && column != null) {
            session.execute("DELETE FROM " + staging + " AS s WHERE EXISTS (SELECT 1 FROM " + relation(model)
                    + " AS t WHERE " + keysMatch(model) + " AND (t." + column + " > s." + column + " OR (s." + column
                    + " IS NULL AND t." + column + " IS NOT NULL)))");
        }
    }

    /** Staged row {@code s} and held row {@code t} have the same unique key. */
    private static String keysMatch(Model model) {
        return String.join(" AND ", model.incremental().uniqueKey().stream()
                .map(key -> "s." + Sql.identifier(key) + " IS NOT DISTINCT FROM t." + Sql.identifier(key)).toList());
    }

    /**
     * Folds the staged new rows into the model's table by its strategy, after adapting the table to a change of
     * columns as its on_schema_change policy says; then drops the staging table.
     */
    private static void fold(Session session, Model model, String staging) {
        String table = relation(model);
        Map<String, String> existing = columns(session, table);
        SchemaChange change = SchemaChange.between(existing, columns(session, staging));
        List<String> inserted = new ArrayList<>(columns(session, staging).keySet());
        if (!change.isEmpty()) {
            // DuckDB refuses to retype or drop columns of a table with an index: the key index is dropped before any
            // column change, and the next full build restores it.
            StorageOptimizer.dropIndex(session, model);
            switch (model.incremental().onSchemaChange()) {
                case FAIL -> throw new SluiceException(ErrorCode.RUN_FAILED, "its columns changed (%s); set "
                        + "incremental.on_schema_change to append_new_columns, sync_all_columns or ignore, or rebuild it "
                        + "with --full-refresh", change.describe());
                case APPEND_NEW_COLUMNS -> {
                    if (!change.retyped().isEmpty()) {
                        throw new SluiceException(ErrorCode.RUN_FAILED, "its columns changed type (%s), which "
                                + "append_new_columns does not do; use sync_all_columns or --full-refresh",
                                change.describe());
                    }
                    change.added().forEach((name, type) -> session.execute("ALTER TABLE " + table + " ADD COLUMN "
                            + Sql.identifier(name) + " " + type));
                }
                case SYNC_ALL_COLUMNS -> {
                    change.added().forEach((name, type) -> session.execute("ALTER TABLE " + table + " ADD COLUMN "
                            + Sql.identifier(name) + " " + type));
                    change.removed().forEach(name -> session.execute("ALTER TABLE " + table + " DROP COLUMN "
                            + Sql.identifier(name)));
                    change.retyped().forEach((name, type) -> session.execute("ALTER TABLE " + table + " ALTER COLUMN "
                            + Sql.identifier(name) + " TYPE " + type));
                }
                case IGNORE -> {
                    inserted.removeIf(column -> change.added().keySet().stream()
                            .anyMatch(added -> added.equalsIgnoreCase(column)));
                    change.retyped().forEach((name, type) -> requireFits(session, staging, name, type,
                            existing.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                                    .orElseThrow().getValue()));
                }
            }
        }
        String columnList = String.join(", ", inserted.stream().map(Sql::identifier).toList());
        if (model.incremental().strategy() != Incremental.Strategy.APPEND) {
            session.execute("DELETE FROM " + table + " AS t WHERE EXISTS (SELECT 1 FROM " + staging + " AS s WHERE "
                    + keysMatch(model) + ")");
        }
        session.execute("INSERT INTO " + table + " (" + columnList + ") SELECT " + columnList + " FROM " + staging);
        session.execute("DROP TABLE " + staging);
    }

    /**
     * ignore keeps the table's column types, so the new values of a retyped column are cast to them on insert: one
     * that does not fit fails the model with what, where and what to do, not with DuckDB's conversion error over
     * Sluice's staging SQL.
     */
    private static void requireFits(Session session, String staging, String column, String newType,
            String tableType) {
        String quoted = Sql.identifier(column);
        List<Object> misfits = session.query("SELECT count(*), CAST(any_value(" + quoted + ") AS VARCHAR) FROM "
                + staging + " WHERE " + quoted + " IS NOT NULL AND TRY_CAST(" + quoted + " AS " + tableType
                + ") IS NULL").values().get(0);
        long count = ((Number) misfits.get(0)).longValue();
        if (count > 0) {
            throw new SluiceException(ErrorCode.RUN_FAILED, "column %s changed type from %s to %s, and %d new rows "
                    + "hold values that are no %s (such as '%s'), while on_schema_change: ignore keeps the table's "
                    + "types; fix the input, set incremental.on_schema_change to sync_all_columns to retype the "
                    + "column, or rebuild it with --full-refresh", column, tableType, newType, count, tableType,
                    misfits.get(1));
        }
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
        return new ModelRunRecord(runId, result.relation(), result.relation(), result.materialized(),
                result.status().word(), result.rows(), bytes, startedAt, result.duration().toMillis(),
                planned.model().sqlHash(), result.reason(), result.error());
    }
}
