-- Sluice catalog, version 4: the column lineage each run planned, so it can be queried with SQL and over time.

CREATE TABLE sluice.lineage_columns (
    run_id           BIGINT NOT NULL,
    model            VARCHAR NOT NULL,       -- the model, as schema.name
    column_name      VARCHAR NOT NULL,
    source_relation  VARCHAR NOT NULL,       -- the source or model it depends on, as schema.table
    source_column    VARCHAR NOT NULL,
    type             VARCHAR NOT NULL,       -- DIRECT | INDIRECT
    subtype          VARCHAR NOT NULL        -- IDENTITY | TRANSFORMATION | AGGREGATION | JOIN | GROUP_BY | FILTER | SORT | WINDOW
);

-- What each model build read and wrote: the history of every table, replayable run by run.
CREATE TABLE sluice.lineage_runs (
    run_id       BIGINT NOT NULL,
    model        VARCHAR NOT NULL,         -- schema.name it published
    status       VARCHAR NOT NULL,         -- success | failed
    inputs       VARCHAR NOT NULL,         -- JSON: each source or model read, and for tracked sources the slice
    rows         BIGINT,                   -- rows published (for incremental models: rows folded in)
    sql_hash     VARCHAR NOT NULL,
    sql_text     VARCHAR NOT NULL,         -- the SQL that ran, parameters substituted (secrets never reach models)
    verdicts     VARCHAR NOT NULL          -- JSON: rule → verdict of the model's quality gate
);

-- How each model column was computed in each run (a digest of its expression over the plan), so that a changed
-- model rebuilds only the consumers of the columns that changed.
CREATE TABLE sluice.column_expressions (
    run_id       BIGINT NOT NULL,
    model        VARCHAR NOT NULL,         -- schema.name
    column_name  VARCHAR NOT NULL,
    expression   VARCHAR NOT NULL
);
