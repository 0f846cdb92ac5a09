-- Sluice catalog, version 1: runs, per-model results, source loads and rejected lines.
-- Applied once at open, in one transaction with its schema_version row.

CREATE SEQUENCE IF NOT EXISTS sluice.run_ids START 1;

CREATE TABLE sluice.runs (
    run_id          BIGINT PRIMARY KEY,
    started_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,
    status          VARCHAR NOT NULL,        -- running | success | failed | killed
    command         VARCHAR NOT NULL,        -- run | test ...
    args            VARCHAR NOT NULL,        -- selection, vars and flags (never secrets)
    engine_version  VARCHAR NOT NULL,
    sluice_version  VARCHAR NOT NULL,
    host            VARCHAR NOT NULL,
    pid             BIGINT NOT NULL
);

CREATE TABLE sluice.model_runs (
    run_id        BIGINT NOT NULL,
    model         VARCHAR NOT NULL,
    relation      VARCHAR NOT NULL,          -- schema.name
    materialized  VARCHAR NOT NULL,
    status        VARCHAR NOT NULL,          -- success | failed | skipped
    rows          BIGINT,
    bytes         BIGINT,
    started_at    TIMESTAMP,
    duration_ms   BIGINT,
    sql_hash      VARCHAR NOT NULL,
    reason        VARCHAR,                   -- why it ran, or why it was skipped
    error         VARCHAR,
    PRIMARY KEY (run_id, model)
);

CREATE TABLE sluice.source_loads (
    run_id       BIGINT NOT NULL,
    source       VARCHAR NOT NULL,           -- schema.table
    status       VARCHAR NOT NULL,           -- success | failed
    rows         BIGINT,
    rejected     BIGINT,
    duration_ms  BIGINT,
    error        VARCHAR,
    PRIMARY KEY (run_id, source)
);

CREATE TABLE sluice.rejects (
    run_id         BIGINT NOT NULL,
    source         VARCHAR NOT NULL,
    file           VARCHAR,
    line           BIGINT,
    column_name    VARCHAR,
    error_type     VARCHAR,
    error_message  VARCHAR,
    csv_line       VARCHAR
);
