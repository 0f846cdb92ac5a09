package dev.sluice.exec;

import dev.sluice.ModelResult;
import dev.sluice.QualityResult;
import dev.sluice.SluiceException;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Model;
import dev.sluice.project.StorageSpec;
import dev.sluice.quality.MetricValue;
import dev.sluice.quality.Rule;
import dev.sluice.storage.LakeVersions;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The one path by which every build publishes (tables, views, incremental models of every strategy, windowed
 * models, and the lake outputs of each), in explicit phases:
 * <ol>
 * <li>claim: a lake model claims its version folder in a committed catalog row of its own, so that a folder Sluice
 * wrote is always recorded (and deleted by a later build when it is never published);
 * <li>stage: the new rows are built under a staging name inside the build's transaction;
 * <li>audit: the model's quality gate checks the staged rows (quarantining where the rules say so); a failed gate
 * rolls everything back and records the failure;
 * <li>commit: the audited rows move to where the model is published (table swap, fold, interval replacement, or a
 * new lake version's files), and with them, in the same transaction, the catalog records (the run, quality results,
 * checkpoints, interval states, run lineage) and the lake table's current version pointer;
 * <li>post-commit: statistics, measurement, byte counts and deleting older lake versions: best effort, never
 * touching what was committed, never recording a second result; a failure there is a warning on the result.
 * </ol>
 * A failure or a killed process before the commit leaves the published relation, its lake version and the catalog as
 * they were; the claimed folder is given up (or, after a kill, deleted by the model's next publish). Thread-safe: one
 * instance per run, each build on its own session.
 */
final class Committer {
    /**
     * One build's work in the committer's phases. Every method but {@link #afterCommit} runs in the build's
     * transaction; none commits or rolls back.
     */
    interface Work {
        /** What the build is, for its error: "model" or "windowed model". */
        String what();

        /** What the build does, for its record; null when it builds nothing (a windowed model up to date). */
        BuildKind kind();

        /** Settings of the build's session, before its transaction begins. */
        default void prepare(Session session) {
        }

        /** Builds the new rows under a staging name; returns the relation the gate audits, or null when none. */
        String stage(Session session);

        /** The rules audited on the staged rows (all of them, or the slice-scoped ones of an increment). */
        List<Rule> stagedRules();

        /**
         * Moves the audited rows to where the model is published, writing the lake version into {@code claimed}
         * when the model has one (null otherwise); nothing is visible to other sessions until the commit.
         */
        Published publish(Session session, Path claimed);

        /** The rules audited on the published relation after {@link #publish} (table-scoped rules of an increment). */
        default List<Rule> publishedRules() {
            return List.of();
        }

        /**
         * The build's records besides its run (checkpoints, interval states, late rows) and its result, written in
         * the transaction; {@code quality} are the results of its gate.
         */
        Recorded record(Session session, Published published, List<QualityResult> quality);

        /**
         * Best effort, after the commit: statistics, measurement, cleaning up older lake versions; returns the
         * bytes the published model takes on disk, or null when unknown. Must not touch the published data or the
         * build's records; what it throws becomes a warning on the result.
         */
        Long afterCommit(Session session, Published published);

        /**
         * The relation holding the keys of the rows this build folded into the model, kept for its sink to merge
         * after the commit; null when the sink takes the whole relation (or there is no sink).
         */
        default String sinkIncrement() {
            return null;
        }

        /**
         * After a build that did not commit (failed, rolled back, stopped by its gate): gives up what it wrote
         * outside the warehouse (an Iceberg table's new files). Best effort, never throws.
         */
        default void abandoned() {
        }

        /** Warnings known at the commit (a storage setting that cost the model), added to the result. */
        default List<String> warnings(Published published) {
            return List.of();
        }
    }

    /**
     * What the publish phase made: the rows now in the model (null for a view), the lake version written (null when
     * none) and any state the work needs after the commit.
     */
    record Published(Long rows, Path lakeVersion, Object detail) {
    }

    /**
     * The records of a publish: its result (success or up to date), what it read (run lineage JSON), the rows it
     * wrote and the SQL that ran.
     */
    record Recorded(ModelResult result, String inputsJson, Long rows, String sql) {
    }

    /** A build's result with what its OpenLineage event reports besides: bytes on disk and the gate's metrics. */
    record Built(ModelResult model, Long bytes, List<MetricValue> metrics) {
    }

    private final Engine engine;
    private final ModelBuilder builder;
    private final LakeVersions versions;

    Committer(Engine engine, ModelBuilder builder, LakeVersions versions) {
        this.engine = engine;
        this.builder = builder;
        this.versions = versions;
    }

    /** Runs the phases of {@code work} for a model; never throws for a failure of the build (it is the result). */
    Built commit(PlannedModel planned, Work work, String reason, LocalDateTime startedAt, long start) {
        Model model = planned.model();
        Path claimed = null;
        if (model.storage().effectiveFormat() == StorageSpec.Format.PARQUET) {
            try {
                claimed = versions.claim(model, builder.runId);
            } catch (SluiceException e) {
                try (Session session = engine.session()) {
                    return new Built(failed(session, planned, work, e, start, startedAt, reason, null), null,
                            List.of());
                }
            }
        }
        Path published = null;
        boolean committedBuild = false;
        try (Session session = engine.session()) {
            work.prepare(session);
            session.begin();
            Committed committed;
            // filled by the audit as it goes, so that the record of a failure after it keeps the gate's outcome
            GateRunner.Checked[] checked = {null};
            try {
                committed = stageAuditCommit(session, planned, work, claimed, startedAt, checked);
            } catch (RuntimeException e) {
                // before the commit (nothing of the build is published): the claimed lake version is given up below
                ModelBuilder.rollback(session, e);
                return new Built(failed(session, planned, work, e, start, startedAt, reason, checked[0]), null,
                        List.of());
            }
            if (committed.gateFailed() != null) {
                try {
                    return new Built(builder.gateFailed(session, planned, committed.gateFailed(), start, startedAt,
                            reason), null, committed.gateFailed().outcome().metrics());
                } catch (RuntimeException e) {
                    // the gate's records could not be written: still a failure of this model, recorded as one
                    ModelBuilder.rollback(session, e);
                    return new Built(failed(session, planned, work, e, start, startedAt, reason,
                            committed.gateFailed()), null, List.of());
                }
            }
            published = committed.published().lakeVersion();
            committedBuild = true;
            if (work.kind() != null) {
                builder.notePresent(model);
            }
            return afterCommit(session, model, work, committed);
        } finally {
            if (!committedBuild) {
                try {
                    work.abandoned();
                } catch (RuntimeException e) {
                    // left for the model's next publish, which deletes what no commit recorded
                }
            }
            if (claimed != null && !claimed.equals(published)) {
                abandon(model, claimed);
            }
        }
    }

    /** The outcome of the phases up to the commit: committed, or stopped by the gate (rolled back). */
    private record Committed(Published published, Recorded recorded, GateRunner.Checked checked,
            GateRunner.Checked gateFailed) {
    }

    private Committed stageAuditCommit(Session session, PlannedModel planned, Work work, Path claimed,
            LocalDateTime startedAt, GateRunner.Checked[] checked) {
        Model model = planned.model();
        // stage
        String staged = work.stage(session);
        FaultPoints.reach(FaultPoints.AFTER_STAGE, model.name(), session);
        // audit the staged rows
        List<Rule> stagedRules = work.stagedRules();
        if (staged != null && !stagedRules.isEmpty()) {
            checked[0] = builder.gates.check(session, model, stagedRules, staged);
            if (!checked[0].passed()) {
                session.rollback();
                return new Committed(null, null, null, checked[0]);
            }
            builder.gates.quarantine(session, checked[0], model.schema(), model.name(), staged);
        }
        // commit: the data moves into place, then the table-scoped audit of what it became
        Published published = work.publish(session, claimed);
        if (published.lakeVersion() != null) {
            FaultPoints.reach(FaultPoints.LAKE_WRITE, model.name(), session);
        }
        List<Rule> publishedRules = work.publishedRules();
        if (!publishedRules.isEmpty()) {
            GateRunner.Checked whole = builder.gates.check(session, model, publishedRules,
                    ModelBuilder.relation(model));
            if (!whole.passed()) {
                session.rollback();
                return new Committed(null, null, null, whole);
            }
            checked[0] = checked[0] == null ? whole : checked[0].with(whole);
        }
        FaultPoints.reach(FaultPoints.AFTER_AUDIT, model.name(), session);
        if (published.lakeVersion() != null) {
            // the lake table's current version pointer, committed with its data and records
            versions.publish(session, model, builder.runId);
        }
        List<QualityResult> quality = checked[0] == null ? List.of() : checked[0].results();
        Recorded recorded = work.record(session, published, quality);
        // One record of the build, committed with it; what follows the commit never records it again.
        if (checked[0] != null) {
            builder.gates.record(session, checked[0], true);
        }
        builder.catalog.runs().recordModelRun(session, builder.record(planned, recorded.result(), null, startedAt,
                work.kind()));
        recordSnapshot(session, model, published);
        builder.catalog.lineage().recordRunLineage(session, builder.runId, model.qualifiedName(), "success",
                recorded.inputsJson(), recorded.rows(), model.sqlHash(), recorded.sql(),
                ModelBuilder.verdicts(quality), engine.version(), builder.parameters);
        FaultPoints.reach(FaultPoints.COMMIT, model.name(), session);
        session.commit();
        return new Committed(published, recorded, checked[0], null);
    }

    /**
     * On an engine whose warehouse tables are Iceberg tables, the snapshot this build published, recorded with its
     * model run in the same transaction (a table in the warehouse, not a view or a lake output).
     */
    private void recordSnapshot(Session session, Model model, Published published) {
        if (published.rows() == null || published.lakeVersion() != null
                || model.storage().effectiveFormat() != StorageSpec.Format.WAREHOUSE) {
            return;
        }
        Optional<String> query = session.dialect().currentSnapshotQuery(ModelBuilder.relation(model));
        if (query.isPresent()) {
            Object id = session.query(query.get()).single();
            if (id != null) {
                builder.catalog.runs().recordModelSnapshot(session, builder.runId, model.qualifiedName(),
                        ((Number) id).longValue());
            }
        }
    }

    /**
     * Post-commit: best effort. Nothing here may throw to the caller, touch the published data or record the build
     * again; a failure is a warning on the result.
     */
    private Built afterCommit(Session session, Model model, Work work, Committed committed) {
        ModelResult result = committed.recorded().result();
        List<String> warnings = work.warnings(committed.published());
        if (!warnings.isEmpty()) {
            result = builder.withWarning(model, result, String.format("Model %s (%s) is published, but its storage "
                    + "settings cost it: %s", model.name(), model.relativeFile(), String.join("; ", warnings)));
        }
        Long bytes = null;
        try {
            FaultPoints.reach(FaultPoints.AFTER_COMMIT, model.name(), session);
            // the records reach the catalog before the models that read this one start (they read its records)
            builder.catalog.catchUp();
            bytes = work.afterCommit(session, committed.published());
        } catch (RuntimeException e) {
            result = builder.warned(model, result, e);
        }
        // the warehouse publish is the truth: the sink follows it, and a failed write fails the result, not the data
        // (a windowed model with nothing to build published nothing: its sink is written only when behind)
        result = work.kind() == null ? builder.sinks.catchUp(model, result)
                : builder.sinks.afterPublish(model, result, work.sinkIncrement());
        builder.remember(model, result, committed.checked(), true);
        return new Built(result, bytes, committed.checked() == null ? List.of()
                : committed.checked().outcome().metrics());
    }

    /**
     * For a lake model that published nothing this run (up to date): deletes the older versions a failed or killed
     * post-commit left behind; best effort, a failure is a warning on the result.
     */
    ModelResult finishCleanUp(Model model, ModelResult result) {
        if (model.storage().effectiveFormat() != StorageSpec.Format.PARQUET) {
            return result;
        }
        try {
            versions.cleanUp(model);
            return result;
        } catch (RuntimeException e) {
            return builder.warned(model, result, e);
        }
    }

    /** Records a build that failed before its commit (nothing of it was published). */
    private ModelResult failed(Session session, PlannedModel planned, Work work, RuntimeException e, long start,
            LocalDateTime startedAt, String reason, GateRunner.Checked checked) {
        Model model = planned.model();
        String error = String.format("Cannot build %s %s (%s): %s", work.what(), model.name(), model.relativeFile(),
                ModelBuilder.describe(e));
        ModelResult result = builder.recorded(session, planned, builder.result(model, dev.sluice.ModelStatus.FAILED,
                null, start, reason, error, List.of()), startedAt);
        builder.remember(model, result, checked, false);
        return result;
    }

    /** Gives up the version folder a lake build claimed and did not publish; on failure the next publish does. */
    private void abandon(Model model, Path claimed) {
        try {
            versions.abandon(model, builder.runId, claimed);
        } catch (RuntimeException e) {
            // the claim stays recorded as a version that is not current: the model's next publish deletes it
        }
    }
}
