-- Sluice catalog, version 2: quality gate results and the metrics they measured, kept across runs.

CREATE TABLE sluice.quality_results (
    run_id         BIGINT NOT NULL,
    model          VARCHAR NOT NULL,       -- model name, or schema.table of a source
    rule           VARCHAR NOT NULL,
    rule_type      VARCHAR NOT NULL,
    severity       VARCHAR NOT NULL,       -- fail | warn | quarantine
    rows_checked   BIGINT NOT NULL,
    rows_failed    BIGINT NOT NULL,
    fail_fraction  DOUBLE NOT NULL,
    thresholds     VARCHAR NOT NULL,
    verdict        VARCHAR NOT NULL,       -- pass | warn | fail
    message        VARCHAR NOT NULL,
    sample         VARCHAR,                -- a few failing rows, as a JSON array of objects
    duration_ms    BIGINT NOT NULL,
    checked_at     TIMESTAMP NOT NULL
);

CREATE TABLE sluice.quality_metrics (
    run_id       BIGINT NOT NULL,
    model        VARCHAR NOT NULL,
    column_name  VARCHAR,                  -- null for table-wide metrics such as row_count
    metric       VARCHAR NOT NULL,
    value        DOUBLE,
    measured_at  TIMESTAMP NOT NULL
);

CREATE INDEX quality_metrics_model ON sluice.quality_metrics (model, metric);
