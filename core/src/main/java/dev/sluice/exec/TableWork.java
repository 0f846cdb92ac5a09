package dev.sluice.exec;

import dev.sluice.ErrorCode;
import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.QualityResult;
import dev.sluice.SluiceException;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.incremental.SchemaChange;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Incremental;
import dev.sluice.project.Materialization;
import dev.sluice.project.Model;
import dev.sluice.project.SinkSpec;
import dev.sluice.project.StorageSpec;
import dev.sluice.quality.Rule;
import dev.sluice.storage.BuildCosts;
import dev.sluice.storage.LakeWriter;
import dev.sluice.storage.Layout;
import dev.sluice.storage.Measurement;
import dev.sluice.storage.StorageOptimizer;
import dev.sluice.storage.iceberg.IcebergWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The committer's work for a view, a table or an incremental model of any strategy, in the warehouse or its lake
 * folder: stages the model's rows (the whole relation, or an increment's new rows deduplicated by key), and publishes
 * them by a swap of the staged table, a fold into the table by the model's strategy, or a new lake version.
 */
final class TableWork implements Committer.Work {
    private final ModelBuilder builder;
    private final StorageOptimizer storage;
    private final PlannedModel planned;
    private final Model model;
    private final List<Rule> rules;
    private final String reason;
    private final Increments.Increment increment;
    private final List<RunInputs.Input> inputs;
    private final String sql;
    private final long start;
    /** Folding new rows into an incremental table: scope: table rules check the table once they are in. */
    private final boolean folding;
    private String relation;
    /** The Iceberg commit of the publish of an Iceberg model, null until it is written or for other models. */
    private IcebergWriter.Commit iceberg;
    /** What a pinned partition column costs the increment folded into a lake output (no layout is decided then). */
    private List<String> foldWarnings = List.of();
    /** What this build spends on statistics and layout, recorded with it after the commit. */
    private final BuildCosts costs = new BuildCosts();

    TableWork(ModelBuilder builder, StorageOptimizer storage, PlannedModel planned, List<Rule> rules, String reason,
            Increments.Increment increment, List<RunInputs.Input> inputs, String sql, long start) {
        this.builder = builder;
        this.storage = storage;
        this.planned = planned;
        this.model = planned.model();
        this.rules = rules;
        this.reason = reason;
        this.increment = increment;
        this.inputs = inputs;
        this.sql = sql;
        this.start = start;
        this.folding = increment != null && !increment.full();
    }

    @Override
    public String what() {
        return "model";
    }

    @Override
    public BuildKind kind() {
        return folding ? BuildKind.INCREMENTAL : BuildKind.FULL;
    }

    @Override
    public String stage(Session session) {
        if (model.materialized() != Materialization.VIEW) {
            builder.checkWarehouseSpace(session, model, !folding);
        }
        relation = switch (model.materialized()) {
            case VIEW -> createView(session, planned);
            case TABLE, INCREMENTAL -> createStaging(session, model, sql, folding);
            case EPHEMERAL -> throw new IllegalStateException("ephemeral model " + model.name() + " is inlined");
        };
        return relation;
    }

    @Override
    public List<Rule> stagedRules() {
        return folding ? rules.stream().filter(r -> r.scope() == Rule.Scope.SLICE).toList() : rules;
    }

    @Override
    public List<Rule> publishedRules() {
        return folding ? rules.stream().filter(r -> r.scope() == Rule.Scope.TABLE).toList() : List.of();
    }

    @Override
    public Committer.Published publish(Session session, Path claimed) {
        if (model.materialized() == Materialization.VIEW) {
            return new Committer.Published(null, null, null);
        }
        long rows = session.query("SELECT count(*) FROM " + relation).singleLong();
        String staging = model.name() + ModelBuilder.STAGING_SUFFIX;
        Path lakeVersion = null;
        Layout layout = null;
        if (!folding) {
            // A full build: its layout is decided from the staged rows and applied before the publish.
            layout = storage.decide(session, model, staging, builder.runId, costs);
            if (layout.format() == StorageSpec.Format.ICEBERG) {
                ModelBuilder.dropExisting(session, model);
                iceberg = builder.iceberg.replace(session, model, relation, layout, builder.runId);
                session.execute("DROP TABLE " + relation);
                FaultPoints.reach(FaultPoints.LAKE_WRITE, model.name(), session);
            } else if (layout.format() == StorageSpec.Format.PARQUET) {
                ModelBuilder.dropExisting(session, model);
                lakeVersion = storage.writeLake(session, model, staging, layout, claimed);
                session.execute("DROP TABLE " + relation);
            } else {
                // staged, not yet committed: the commit and its checkpoint write the table
                storage.checkWarehouseSpace(session, model, layout.estimatedBytes());
                Layout chosen = layout;
                costs.layout(() -> {
                    storage.sortStaging(session, model.schema(), staging, chosen);
                    return null;
                });
                ModelBuilder.dropExisting(session, model);
                session.execute("ALTER TABLE " + relation + " RENAME TO " + Sql.identifier(model.name()));
                costs.layout(() -> {
                    storage.index(session, model, chosen);
                    return null;
                });
            }
        } else if (model.storage().effectiveFormat() == StorageSpec.Format.ICEBERG) {
            Layout increment = costs.statistics(() -> storage.foldLayout(session, model, staging));
            foldWarnings = increment.warnings();
            iceberg = builder.iceberg.fold(session, model, relation, increment, builder.runId,
                    model.incremental().strategy() == Incremental.Strategy.APPEND ? List.of()
                            : model.incremental().uniqueKey());
            session.execute("DROP TABLE " + relation);
            FaultPoints.reach(FaultPoints.LAKE_WRITE, model.name(), session);
        } else if (model.storage().effectiveFormat() == StorageSpec.Format.PARQUET) {
            foldWarnings = storage.foldLake(session, model, staging, claimed).warnings();
            lakeVersion = claimed;
            dropStaging(session, model, relation);
        } else {
            // staged, not yet committed: the increment's own size, not only the floor
            storage.checkWarehouseSpace(session, model, StorageOptimizer.stagedBytes(session, model.schema(), staging));
            fold(session, model, relation);
        }
        return new Committer.Published(rows, lakeVersion, layout);
    }

    @Override
    public Committer.Recorded record(Session session, Committer.Published published, List<QualityResult> quality) {
        if (increment != null) {
            for (Map.Entry<String, Long> checkpoint : increment.checkpoints().entrySet()) {
                builder.catalog.state().recordCheckpoint(session, model.qualifiedName(), checkpoint.getKey(),
                        checkpoint.getValue(), builder.runId);
            }
        }
        ModelResult result = builder.result(model, ModelStatus.SUCCESS, published.rows(), start, reason, null,
                quality);
        return new Committer.Recorded(result, ModelBuilder.inputsJson(inputs), published.rows(), sql);
    }

    @Override
    public List<String> warnings(Committer.Published published) {
        if (published.detail() instanceof Layout layout) {
            return layout.warnings();
        }
        return foldWarnings.stream().map(warning -> "this increment: " + warning).toList();
    }

    @Override
    public void abandoned() {
        if (model.storage().effectiveFormat() == StorageSpec.Format.ICEBERG) {
            builder.iceberg.abandon(model, builder.runId);
        }
    }

    @Override
    public Long afterCommit(Session session, Committer.Published published) {
        Path lakeVersion = published.lakeVersion();
        Long rows = published.rows();
        if (iceberg != null) {
            builder.iceberg.committed(session, model, builder.runId);
            FaultPoints.reach(FaultPoints.POST_COMMIT, model.name(), session);
            if (published.detail() instanceof Layout layout) {
                storage.measure(session, model, layout, builder.runId);
            }
            long bytes = builder.iceberg.bytes(session, model);
            builder.catalog.runs().recordModelStorage(session, builder.runId, model.qualifiedName(),
                    costs.statisticsMs(), costs.layoutMs(), bytes);
            return bytes;
        }
        // the read-back of a warehouse table tells its blocks too, where the engine keeps both together
        Long blocks = rows != null && (!folding || lakeVersion != null)
                ? costs.statistics(() -> storage.afterPublish(session, model, lakeVersion, builder.runId)) : null;
        FaultPoints.reach(FaultPoints.POST_COMMIT, model.name(), session);
        if (published.detail() instanceof Layout layout) {
            costs.statistics(() -> {
                storage.measure(session, model, layout, builder.runId);
                return null;
            });
        }
        if (rows == null) {
            return null;
        }
        Long bytes;
        if (lakeVersion != null) {
            bytes = LakeWriter.bytes(lakeVersion);
        } else {
            // Blocks are written at commit: the size on disk is known only now. A small table may stay in the
            // write-ahead log until DuckDB's next checkpoint; its size is then unknown (NULL), never guessed.
            long onDisk = blocks != null ? blocks : Measurement.blocksOnDisk(session, model.qualifiedName());
            bytes = onDisk > 0 ? onDisk : null;
        }
        builder.catalog.runs().recordModelStorage(session, builder.runId, model.qualifiedName(), costs.statisticsMs(),
                costs.layoutMs(), bytes);
        return bytes;
    }

    private static String createView(Session session, PlannedModel planned) {
        ModelBuilder.dropExisting(session, planned.model());
        String relation = ModelBuilder.relation(planned.model());
        session.execute("CREATE VIEW " + relation + " AS " + planned.executableSql());
        return relation;
    }

    private static String createStaging(Session session, Model model, String sql, boolean folding) {
        String staging = Sql.qualified(model.schema(), model.name() + ModelBuilder.STAGING_SUFFIX);
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
            session.execute(session.dialect().keepLastPerKey(staging, incremental.uniqueKey(), incremental.orderBy()));
        }
        if (folding && column != null) {
            // The losers found by a join, deleted by row identity: Spark runs no correlated DELETE.
            String rowId = session.dialect().rowId();
            session.execute("DELETE FROM " + staging + " WHERE " + rowId + " IN (SELECT s.sluice_row FROM (SELECT "
                    + rowId + " AS sluice_row, * FROM " + staging + ") AS s JOIN " + ModelBuilder.relation(model)
                    + " AS t ON " + keysMatch(model) + " AND (t." + column + " > s." + column + " OR (s." + column
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
        String table = ModelBuilder.relation(model);
        Map<String, String> existing = ModelBuilder.columns(session, table);
        SchemaChange change = SchemaChange.between(existing, ModelBuilder.columns(session, staging));
        List<String> inserted = new ArrayList<>(ModelBuilder.columns(session, staging).keySet());
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
        // The engine's statements of the strategy: on Spark a merge is one MERGE INTO (one Iceberg commit).
        List<String> keys = model.incremental().uniqueKey();
        List<String> statements = switch (model.incremental().strategy()) {
            case APPEND -> session.dialect().mergeByKey(table, staging, List.of(), inserted);
            case MERGE -> session.dialect().mergeByKey(table, staging, keys, inserted);
            case DELETE_INSERT -> session.dialect().replaceByKey(table, staging, keys, inserted);
        };
        statements.forEach(statement -> session.execute(statement));
        dropStaging(session, model, staging);
    }

    /**
     * Drops the folded increment's staging table; for a model merging into its sink, keeps it (committed with the
     * fold) as {@link SinkStep#increment}, whose keys say which rows the sink merges after the commit.
     */
    private static void dropStaging(Session session, Model model, String staging) {
        if (model.sink() != null && model.sink().mode() == SinkSpec.Mode.MERGE) {
            session.execute("DROP TABLE IF EXISTS " + SinkStep.increment(model));
            session.execute("ALTER TABLE " + staging + " RENAME TO " + Sql.identifier(model.name()
                    + SinkStep.INCREMENT_SUFFIX));
        } else {
            session.execute("DROP TABLE " + staging);
        }
    }

    @Override
    public String sinkIncrement() {
        return folding && model.sink() != null && model.sink().mode() == SinkSpec.Mode.MERGE
                ? SinkStep.increment(model) : null;
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

}
