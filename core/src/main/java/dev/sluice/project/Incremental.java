package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * How an incremental model folds what is new in its inputs into its table.
 *
 * @param uniqueKey the columns identifying a row, for merge and delete_insert; empty for append
 * @param orderBy for merge: the column whose greatest value wins among rows of one key (ties and NULLs: the row loaded
 *     last wins); null when the row loaded last wins
 */
public record Incremental(Strategy strategy, List<String> uniqueKey, OnSchemaChange onSchemaChange, String orderBy) {
    public Incremental {
        requireNonNull(strategy, "strategy");
        uniqueKey = List.copyOf(uniqueKey);
        requireNonNull(onSchemaChange, "onSchemaChange");
    }

    /** Settings without {@code order_by}: among rows of one key, the row loaded last wins. */
    public Incremental(Strategy strategy, List<String> uniqueKey, OnSchemaChange onSchemaChange) {
        this(strategy, uniqueKey, onSchemaChange, null);
    }

    /** How new rows are folded in. */
    public enum Strategy {
        /** New rows are added. */
        APPEND,
        /**
         * Rows whose key exists are replaced, the others added (upsert); of several new rows with one key, only the
         * winner (by {@code order_by}, else the row loaded last) is kept, on full and incremental builds alike.
         */
        MERGE,
        /** Every row with a key present in the new rows is deleted, then the new rows are inserted. */
        DELETE_INSERT
    }

    /** What happens when the model's output columns differ from its table's. */
    public enum OnSchemaChange {
        /** The run of the model fails, naming the columns. */
        FAIL,
        /** New columns are added to the table; removed ones are kept (filled with NULL). */
        APPEND_NEW_COLUMNS,
        /** The table's columns follow the model: new ones added, removed ones dropped, retyped ones altered. */
        SYNC_ALL_COLUMNS,
        /** The table keeps its columns; new ones are not stored. */
        IGNORE
    }
}
