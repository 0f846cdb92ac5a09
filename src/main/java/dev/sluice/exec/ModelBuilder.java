package dev.sluice.exec;

import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.SluiceException;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.ModelRunRecord;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Model;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.time.LocalDateTime;
import java.util.Locale;

/**
 * Builds one model with write-audit-publish: the new relation is built under a staging name and swapped in, with
 * the model's catalog record, in one transaction. A failure or a killed process leaves the published relation and
 * the catalog as they were, and no staging relation is ever committed.
 */
final class ModelBuilder {
    static final String STAGING_SUFFIX = "__sluice_staging";

    private final Engine engine;
    private final Catalog catalog;
    private final long runId;
    private final UnaryOperator<String> redact;

    /** {@code redact} hides secret values in every error message before it is stored or returned. */
    ModelBuilder(Engine engine, Catalog catalog, long runId, UnaryOperator<String> redact) {
        this.engine = engine;
        this.catalog = catalog;
        this.runId = runId;
        this.redact = redact;
    }

    ModelResult build(PlannedModel planned, String reason) {
        Model model = planned.model();
        LocalDateTime startedAt = LocalDateTime.now();
        long start = System.nanoTime();
        try (Session session = engine.session()) {
            session.begin();
            try {
                Long rows = switch (model.materialized()) {
                    case VIEW -> publishView(session, planned);
                    case TABLE -> publishTable(session, planned);
                    case EPHEMERAL -> throw new IllegalStateException("ephemeral model " + model.name() + " is inlined");
                };
                Long bytes = rows == null ? null : session.query("SELECT estimated_size FROM duckdb_tables() "
                        + "WHERE database_name = current_database() AND schema_name = ? AND table_name = ?",
                        model.schema(), model.name()).singleLong();
                ModelResult result = result(model, ModelStatus.SUCCESS, rows, start, reason, null);
                catalog.recordModelRun(session, record(planned, result, bytes, startedAt));
                session.commit();
                return result;
            } catch (SluiceException e) {
                session.rollback();
                String error = String.format("Cannot build model %s (%s): %s", model.name(), model.relativeFile(),
                        e.getMessage());
                ModelResult result = result(model, ModelStatus.FAILED, null, start, reason, error);
                catalog.recordModelRun(session, record(planned, result, null, startedAt));
                return result;
            }
        }
    }

    /** Records a model that was not built (skipped, or failed before building), with the reason. */
    ModelResult notBuilt(PlannedModel planned, ModelStatus status, String reason, String error) {
        ModelResult result = result(planned.model(), status, null, System.nanoTime(), reason, error);
        try (Session session = engine.session()) {
            catalog.recordModelRun(session, record(planned, result, null, null));
        }
        return result;
    }

    private Long publishView(Session session, PlannedModel planned) {
        dropExisting(session, planned.model());
        session.execute("CREATE VIEW " + relation(planned.model()) + " AS " + planned.executableSql());
        return null;
    }

    private Long publishTable(Session session, PlannedModel planned) {
        Model model = planned.model();
        String staging = Sql.qualified(model.schema(), model.name() + STAGING_SUFFIX);
        session.execute("CREATE OR REPLACE TABLE " + staging + " AS " + planned.executableSql());
        long rows = session.query("SELECT count(*) FROM " + staging).singleLong();
        dropExisting(session, model);
        session.execute("ALTER TABLE " + staging + " RENAME TO " + Sql.identifier(model.name()));
        return rows;
    }

    /** Drops the published relation, view or table, so the model may change materialization between runs. */
    private static void dropExisting(Session session, Model model) {
        Object type = session.query("SELECT table_type FROM information_schema.tables WHERE table_catalog = "
                + "current_database() AND table_schema = ? AND table_name = ?", model.schema(), model.name()).single();
        if (type != null) {
            session.execute(("VIEW".equals(type) ? "DROP VIEW " : "DROP TABLE ") + relation(model));
        }
    }

    private static String relation(Model model) {
        return Sql.qualified(model.schema(), model.name());
    }

    private ModelResult result(Model model, ModelStatus status, Long rows, long start, String reason, String error) {
        Duration duration = Duration.ofNanos(System.nanoTime() - start);
        return new ModelResult(model.name(), model.qualifiedName(), model.materialized().name().toLowerCase(Locale.ROOT),
                status, rows, duration, reason, error == null ? null : redact.apply(error));
    }

    private ModelRunRecord record(PlannedModel planned, ModelResult result, Long bytes, LocalDateTime startedAt) {
        return new ModelRunRecord(runId, result.model(), result.relation(), result.materialized(),
                result.status().word(), result.rows(), bytes, startedAt, result.duration().toMillis(),
                planned.model().sqlHash(), result.reason(), result.error());
    }
}
