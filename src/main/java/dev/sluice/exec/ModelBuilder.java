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
import dev.sluice.quality.Condition;
import dev.sluice.quality.Rule;
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

    private final Engine engine;
    final Catalog catalog;
    final long runId;
    private final UnaryOperator<String> redact;
    final GateRunner gates;
    private final Map<String, Condition.ModelQuality> facts = new ConcurrentHashMap<>();

    /** {@code redact} hides secret values in every error message before it is stored or returned. */
    ModelBuilder(Engine engine, Catalog catalog, long runId, UnaryOperator<String> redact) {
        this.engine = engine;
        this.catalog = catalog;
        this.runId = runId;
        this.redact = redact;
        this.gates = new GateRunner(catalog, runId);
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
        String reason = increment == null ? runReason : runReason + "; " + increment.reason();
        if (increment != null && increment.upToDate()) {
            return upToDate(planned, reason);
        }
        try (Session session = engine.session()) {
            session.begin();
            GateRunner.Checked checked = null;
            try {
                String relation = switch (model.materialized()) {
                    case VIEW -> createView(session, planned);
                    case TABLE -> createStaging(session, model, planned.executableSql());
                    case INCREMENTAL -> createStaging(session, model, increment.sql());
                    case EPHEMERAL -> throw new IllegalStateException("ephemeral model " + model.name() + " is inlined");
                };
                // Folding new rows into an incremental table, scope: table rules check the table once they are in.
                boolean folding = increment != null && !increment.full();
                List<Rule> sliceRules = folding ? rules.stream().filter(r -> r.scope() == Rule.Scope.SLICE).toList()
                        : rules;
                List<Rule> tableRules = folding ? rules.stream().filter(r -> r.scope() == Rule.Scope.TABLE).toList()
                        : List.of();
                if (!sliceRules.isEmpty()) {
                    checked = gates.check(session, model.name(), sliceRules, relation);
                    if (!checked.passed()) {
                        session.rollback();
                        return gateFailed(session, planned, checked, start, startedAt, reason);
                    }
                    gates.quarantine(session, checked, model.schema(), model.name(), relation);
                }
                Long rows = null;
                if (model.materialized() != Materialization.VIEW) {
                    rows = session.query("SELECT count(*) FROM " + relation).singleLong();
                    if (increment == null || increment.full()) {
                        dropExisting(session, model);
                        session.execute("ALTER TABLE " + relation + " RENAME TO " + Sql.identifier(model.name()));
                    } else {
                        fold(session, model, relation);
                    }
                    if (!tableRules.isEmpty()) {
                        GateRunner.Checked whole = gates.check(session, model.name(), tableRules, relation(model));
                        if (!whole.passed()) {
                            session.rollback();
                            return gateFailed(session, planned, whole, start, startedAt, reason);
                        }
                        checked = checked == null ? whole : checked.with(whole);
                    }
                }
                if (increment != null) {
                    for (Map.Entry<String, Long> checkpoint : increment.checkpoints().entrySet()) {
                        catalog.recordCheckpoint(session, model.name(), checkpoint.getKey(), checkpoint.getValue(), runId);
                    }
                }
                List<QualityResult> quality = checked == null ? List.of() : checked.results();
                ModelResult result = result(model, ModelStatus.SUCCESS, rows, start, reason, null, quality);
                if (checked != null) {
                    gates.record(session, checked, true);
                }
                catalog.recordModelRun(session, record(planned, result, null, startedAt));
                catalog.recordRunLineage(session, runId, model.qualifiedName(), "success", inputs(planned, increment),
                        rows, model.sqlHash(), increment == null ? planned.executableSql() : increment.sql(),
                        verdicts(quality));
                session.commit();
                if (rows != null) {
                    // Blocks are written at commit: the size on disk is known only now. A small table may stay in the
                    // write-ahead log until DuckDB's next checkpoint; its size is then unknown (NULL), never guessed.
                    long bytes = session.query("SELECT count(DISTINCT block_id) * (SELECT block_size FROM "
                            + "pragma_database_size() WHERE database_name = current_database()) FROM "
                            + "pragma_storage_info(?) WHERE block_id >= 0", model.qualifiedName()).singleLong();
                    if (bytes > 0) {
                        catalog.recordModelBytes(session, runId, model.name(), bytes);
                    }
                }
                remember(model, result, checked, true);
                return result;
            } catch (SluiceException e) {
                session.rollback();
                String error = String.format("Cannot build model %s (%s): %s", model.name(), model.relativeFile(),
                        e.getMessage());
                ModelResult result = result(model, ModelStatus.FAILED, null, start, reason, error, List.of());
                catalog.recordModelRun(session, record(planned, result, null, startedAt));
                remember(model, result, checked, false);
                return result;
            }
        }
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

    /** The inputs of a build as JSON: each relation read and, for tracked sources read incrementally, the slice. */
    private static String inputs(PlannedModel planned, Increments.Increment increment) {
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (String source : new java.util.TreeSet<>(planned.upstreamSources())) {
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("source", source);
            if (increment != null && increment.slices().containsKey(source)) {
                input.put("loaded_after_run", increment.slices().get(source));
                input.put("loaded_up_to_run", increment.checkpoints().get(source));
            } else {
                input.put("read", "whole");
            }
            inputs.add(input);
        }
        for (String upstream : new java.util.TreeSet<>(planned.upstreamModels())) {
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("model", upstream);
            input.put("read", "whole");
            inputs.add(input);
        }
        return json(inputs);
    }

    static String verdicts(List<QualityResult> quality) {
        Map<String, String> verdicts = new LinkedHashMap<>();
        quality.forEach(result -> verdicts.put(result.rule(), result.verdict()));
        return json(verdicts);
    }

    static String json(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("plain maps and lists always serialise", e);
        }
    }

    /** Records a model found up to date: nothing is rebuilt; its published table stays as it is. */
    ModelResult upToDate(PlannedModel planned, String reason) {
        Model model = planned.model();
        ModelResult result = result(model, ModelStatus.SUCCESS, 0L, System.nanoTime(), reason, null, List.of());
        try (Session session = engine.session()) {
            catalog.recordModelRun(session, record(planned, result, null, LocalDateTime.now()));
            long rows = session.query("SELECT count(*) FROM " + relation(model)).singleLong();
            facts.put(model.name().toLowerCase(Locale.ROOT), new Condition.ModelQuality(rows, 0, 0, true, 0));
        }
        return result;
    }

    /** Records a model that was not built (skipped, or failed before building), with the reason. */
    ModelResult notBuilt(PlannedModel planned, ModelStatus status, String reason, String error) {
        ModelResult result = result(planned.model(), status, null, System.nanoTime(), reason, error, List.of());
        try (Session session = engine.session()) {
            catalog.recordModelRun(session, record(planned, result, null, null));
        }
        return result;
    }

    private static String createView(Session session, PlannedModel planned) {
        dropExisting(session, planned.model());
        String relation = relation(planned.model());
        session.execute("CREATE VIEW " + relation + " AS " + planned.executableSql());
        return relation;
    }

    private static String createStaging(Session session, Model model, String sql) {
        String staging = Sql.qualified(model.schema(), model.name() + STAGING_SUFFIX);
        session.execute("CREATE OR REPLACE TABLE " + staging + " AS " + sql);
        return staging;
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
                case IGNORE -> inserted.removeIf(column -> change.added().keySet().stream()
                        .anyMatch(added -> added.equalsIgnoreCase(column)));
            }
        }
        String columnList = String.join(", ", inserted.stream().map(Sql::identifier).toList());
        if (model.incremental().strategy() != Incremental.Strategy.APPEND) {
            String matches = String.join(" AND ", model.incremental().uniqueKey().stream()
                    .map(key -> "s." + Sql.identifier(key) + " IS NOT DISTINCT FROM t." + Sql.identifier(key)).toList());
            session.execute("DELETE FROM " + table + " AS t WHERE EXISTS (SELECT 1 FROM " + staging + " AS s WHERE "
                    + matches + ")");
        }
        session.execute("INSERT INTO " + table + " (" + columnList + ") SELECT " + columnList + " FROM " + staging);
        session.execute("DROP TABLE " + staging);
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
        return new ModelRunRecord(runId, result.model(), result.relation(), result.materialized(),
                result.status().word(), result.rows(), bytes, startedAt, result.duration().toMillis(),
                planned.model().sqlHash(), result.reason(), result.error());
    }
}
