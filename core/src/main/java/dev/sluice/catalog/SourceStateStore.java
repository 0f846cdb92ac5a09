package dev.sluice.catalog;

import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What sources have loaded and incremental models have folded in: the file manifest, change detections, high-water
 * marks, stream offsets, source loads, rejected lines and checkpoints ({@code file_manifest}, {@code detections},
 * {@code watermarks}, {@code stream_offsets}, {@code source_loads}, {@code rejects}, {@code checkpoints}). Thread-safe; a method taking a {@link Session} works in
 * that session's transaction (the load's, or the publishing one of a model).
 */
public interface SourceStateStore {
    /** The manifest of a files source: every file it has read, by path. */
    Map<String, ManifestRecord> manifest(String source);

    /** Records the files a load read (replacing their earlier entries); pass the load's session. */
    void recordManifest(Session session, List<ManifestRecord> files);

    /** Forgets files of a source's manifest (deleted ones); pass the load's session. */
    void forgetManifest(Session session, String source, List<String> paths);

    /**
     * The files of a manifest-tracked source whose current version was read by a load in runs {@code (afterRun,
     * upToRun]}, by path: the exact files of an incremental slice (every file when {@code afterRun} is 0).
     */
    List<ManifestRecord> manifestFiles(String source, long afterRun, long upToRun);

    /** Records what a load found changed in a source; pass the load's session. */
    void recordDetection(Session session, DetectionRecord record);

    /**
     * The high-water marks a table source moved between in loads of runs {@code (afterRun, upToRun]}: the mark
     * before the first of them and after the last; empty when no load in that range had a watermark.
     */
    Optional<List<String>> watermarkRange(String source, long afterRun, long upToRun);

    /** True when a load after {@code afterRun} replaced rows of the source (a modified file, a changed key). */
    boolean rowsChangedSince(String source, long afterRun);

    /** True when a load after {@code afterRun} removed rows of the source (retracted deleted files). */
    boolean rowsRetractedSince(String source, long afterRun);

    /** The last run that loaded the source (new, changed or retracted rows), or 0 when none has. */
    long lastLoad(String source);

    /** The high-water mark a table source reached, as text, if it was ever loaded. */
    Optional<String> watermark(String source);

    /** Records the high-water mark a table source reached; pass the load's session. */
    void recordWatermark(Session session, String source, String watermark, long runId);

    /**
     * The offset of the next record to load per partition of a stream source's topic ({@code stream_offsets}); empty
     * before its first load.
     */
    Map<Integer, Long> streamOffsets(String source, String topic);

    /**
     * Moves a stream source's offsets (partition → the offset of the next record to load); pass the load's session,
     * so the offsets commit with the loaded records.
     */
    void recordStreamOffsets(Session session, String source, String topic, Map<Integer, Long> offsets, long runId);

    /** Forgets what a source has read (manifest and high-water mark), so its next load reads everything. */
    void forgetSource(Session session, String source);

    /** Records the outcome of a source's load; pass the load's session. */
    void recordSourceLoad(Session session, SourceLoadRecord record);

    /**
     * Copies the rejected lines DuckDB's CSV reader kept in the session's temporary tables into {@code
     * sluice.rejects}. DuckDB keeps them per connection, so this must run on the session that read the files.
     * {@code storedFile} turns a SQL expression of a file's absolute path into the form the catalog keeps.
     */
    void recordRejects(Session session, long runId, String source, String errorsTable, String scansTable,
            UnaryOperator<String> storedFile);

    /** Reads up to {@code limit} rejected lines from the session's temporary tables, for keeping past a rollback. */
    Rows readRejects(Session session, String errorsTable, String scansTable, int limit,
            UnaryOperator<String> storedFile);

    /** Stores rejected lines read earlier by {@link #readRejects}. */
    void recordRejects(Session session, long runId, String source, Rows rejects);

    /** An incremental model's checkpoints: source → the last source load it has folded in. */
    Map<String, Long> checkpoints(String model);

    /** Moves a model's checkpoint; pass the publishing session so it commits with the model's data. */
    void recordCheckpoint(Session session, String model, String source, long processedRun, long runId);

    /**
     * Moves a checkpoint the model has (read in the same run, under its lock), as {@link #recordCheckpoint} does:
     * an update of the row, without the conflict check of an insert that may replace it.
     */
    void moveCheckpoint(Session session, String model, String source, long processedRun, long runId);

    /** Forgets a model's checkpoints, so its next run rebuilds it in full; returns how many were removed. */
    long resetCheckpoints(String model);

    /** Per tracked source: the files its manifest holds, their bytes and rows, the newest file and the last run. */
    Rows manifestSummary();

    /** The checkpoints of one model ({@code schema.name}), or of all when null, by model and source. */
    Rows checkpointRows(String model);

    /** The {@code limit} latest change detections, newest run first. */
    Rows recentDetections(int limit);

    /**
     * What change detection found in one run, a row per source: source, new_rows, changed_rows, retracted_rows,
     * watermark_from, watermark_to.
     */
    Rows detections(long runId);
}
