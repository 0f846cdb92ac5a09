package dev.sluice.catalog;

import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import java.util.List;
import java.util.Optional;

/**
 * Where models are stored and how: the lake version folders of lake models ({@code lake_versions}) and the storage
 * optimiser's tables ({@code table_stats}, {@code storage_decisions}, {@code column_compression}, {@code
 * storage_effects}). Thread-safe; a method taking a {@link Session} works in that session's transaction.
 */
public interface StorageStore {
    /**
     * A lake version folder the catalog records (claimed before it is written, then current, then retired): the run
     * that wrote it and its path as stored.
     */
    record LakeVersion(long runId, String path) {
    }

    /** The catalog tables of storage optimisation (catalog V7). */
    enum StorageTable { TABLE_STATS, STORAGE_DECISIONS, COLUMN_COMPRESSION, STORAGE_EFFECTS }

    /** Claims a version folder of a model before its files are written, in its own committed transaction. */
    void claimLakeVersion(String model, long runId, String path);

    /** True when some model's lake version was recorded at {@code path}: a folder Sluice wrote. */
    boolean isLakeVersion(String path);

    /**
     * Makes the version a run claimed the model's current one and retires the previous, in the publishing
     * transaction of {@code session}.
     */
    void publishLakeVersion(Session session, String model, long runId);

    /** The path of a model's current lake version, as stored; empty when none is recorded. */
    Optional<String> currentLakeVersion(Session session, String model);

    /** A model's recorded lake versions that are not current: retired ones and claims never published. */
    List<LakeVersion> staleLakeVersions(String model);

    /** Forgets a lake version whose folder is gone (deleted, or never written). */
    void forgetLakeVersion(String model, long runId, String path);

    /**
     * Records rows of a storage table, each row's values in the table's column order; pass the publishing session
     * so they commit with the model.
     */
    void recordStorage(Session session, StorageTable table, List<List<Object>> rows);

    /**
     * The storage decisions of each model's latest build that recorded any, or of one model when {@code model} is
     * not null: model, run, aspect, choice, pinned, inputs and reason, by model in the order they were recorded.
     */
    Rows latestDecisions(String model);

    /** The last run that recorded storage decisions of a model, if one did. */
    Optional<Long> lastDecisionRun(Session session, String model);

    /**
     * A metadata version of an Iceberg table Sluice writes ({@code iceberg_snapshots}): its number, the run that
     * committed it, the table's current snapshot then (null when none), the operation and the metadata file as
     * stored (relative to the project folder when inside it).
     */
    record IcebergVersion(int version, long runId, Long snapshotId, String operation, String metadataPath) {
    }

    /**
     * In the publishing transaction: records the next metadata version of a model's Iceberg table, which makes it
     * the table's current metadata once the transaction commits.
     */
    void recordIcebergVersion(Session session, String model, IcebergVersion version);

    /** A model's current Iceberg metadata (its newest recorded version), as the session sees it; empty when none. */
    Optional<IcebergVersion> currentIcebergVersion(Session session, String model);

    /**
     * Per model with an Iceberg table (qualified name, in name order), the metadata version current after run
     * {@code runId}: the newest one committed by that run or an earlier one.
     */
    java.util.Map<String, IcebergVersion> icebergVersionsAsOf(long runId);

    /** Every recorded metadata version of a model's Iceberg table, oldest first. */
    List<IcebergVersion> icebergVersions(String model);
}
