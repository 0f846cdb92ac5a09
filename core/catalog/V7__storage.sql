-- Sluice catalog, version 7: storage optimisation. Statistics of every built table, the layout chosen from them
-- (with the inputs and the reason of each choice), and what the writer achieved per column, run by run, so that
-- decisions, their drift and a regression in compression can be audited with SQL.

CREATE TABLE sluice.table_stats (
    run_id          BIGINT NOT NULL,
    model           VARCHAR NOT NULL,        -- schema.name
    column_name     VARCHAR,                 -- NULL for the row of the whole table
    column_type     VARCHAR,
    row_count       BIGINT NOT NULL,
    bytes           BIGINT,                  -- whole table: estimated uncompressed bytes (rows x average width)
    distinct_count  BIGINT,                  -- approximate (HyperLogLog)
    null_fraction   DOUBLE,
    min_value       VARCHAR,
    max_value       VARCHAR,
    average_width   DOUBLE,                  -- bytes per value
    sortedness      DOUBLE,                  -- fraction of adjacent rows in ascending order (1 = sorted)
    top_share       DOUBLE,                  -- fraction of rows holding the most frequent value (skew)
    span_days       DOUBLE,                  -- time columns: days between min and max
    distinct_days   BIGINT                   -- time columns: days that hold at least one row (density)
);

CREATE TABLE sluice.storage_decisions (
    run_id      BIGINT NOT NULL,
    model       VARCHAR NOT NULL,
    aspect      VARCHAR NOT NULL,            -- format | compression | encoding | partitioning | sort | row_group | file_size | index
    choice      VARCHAR NOT NULL,
    pinned      BOOLEAN NOT NULL,            -- true when the model's front matter fixed it
    inputs      VARCHAR NOT NULL,            -- JSON: the statistics and settings the rule read
    reason      VARCHAR NOT NULL
);

-- What the writer did per column: DuckDB's segment compression in the warehouse, Parquet codecs in a lake folder.
CREATE TABLE sluice.column_compression (
    run_id             BIGINT NOT NULL,
    model              VARCHAR NOT NULL,
    column_name        VARCHAR NOT NULL,
    compression        VARCHAR NOT NULL,     -- e.g. Dictionary, RLE, BitPacking (warehouse); ZSTD, SNAPPY (Parquet)
    compressed_bytes   BIGINT,
    uncompressed_bytes BIGINT,
    ratio              DOUBLE                -- uncompressed / compressed; NULL where unknown
);

-- The measured effect of a layout: bytes and query times of baselines against the chosen layout.
CREATE TABLE sluice.storage_effects (
    run_id       BIGINT NOT NULL,
    model        VARCHAR NOT NULL,
    layout       VARCHAR NOT NULL,           -- csv | parquet_default | chosen (lake) | warehouse (whole blocks)
    bytes        BIGINT NOT NULL,
    filter_ms    DOUBLE,                     -- a filter on the sort key (median of several runs)
    aggregate_ms DOUBLE,                     -- a full aggregate (median of several runs)
    measured_at  TIMESTAMP NOT NULL
);
