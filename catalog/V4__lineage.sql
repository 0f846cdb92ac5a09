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
