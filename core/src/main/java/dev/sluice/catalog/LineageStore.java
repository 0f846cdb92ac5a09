package dev.sluice.catalog;

import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import java.util.List;
import java.util.Map;

/**
 * The lineage runs planned and kept ({@code lineage_columns}, {@code column_expressions}, {@code lineage_runs}).
 * Thread-safe; a method taking a {@link Session} writes in that session's transaction.
 */
public interface LineageStore {
    /**
     * Records the column lineage a run planned: one row per model column and column it depends on, as model, column,
     * source relation, source column, type, subtype, expression text (or null), masking.
     */
    void recordLineage(Session session, long runId, List<List<Object>> rows);

    /** Records how each model column is computed in this run: rows of model, column, expression digest. */
    void recordExpressions(Session session, long runId, List<List<String>> rows);

    /** How each column of a model was computed when it was last built (column → digest); empty when unknown. */
    Map<String, String> expressionsAt(String model, long runId);

    /**
     * Records what one model build read and wrote; pass the publishing session so it commits with the model.
     *
     * @param inputs JSON: each relation read and the slice of it
     * @param parameters JSON: the project's vars as the model saw them
     */
    void recordRunLineage(Session session, long runId, String model, String status, String inputs, Long rows,
            String sqlHash, String sqlText, String verdicts, String engineVersion, String parameters);

    /**
     * The column lineage run {@code runId} kept, one row per edge: target column, source column ({@code
     * relation.column}), type, subtype, masking and the target's expression (null when not direct).
     */
    Rows lineageAt(long runId);

    /** Records the masked columns a run planned: rows of relation, column, mask word, declared (boolean). */
    void recordMasks(Session session, long runId, List<List<Object>> rows);

    /**
     * The masked columns the latest run that planned lineage kept: relation, column, mask word; empty before the first
     * run or on a catalog older than V19.
     */
    Rows latestMasks();
}
