-- Sluice catalog, version 18: what each schedule of sluice.yml did at each of its due times.
-- A row per due time a server saw: the run it started, or why it started none. The run's own outcome stays in
-- sluice.runs (joined on run_id); a run started by hand or by an external scheduler has no row here.

CREATE TABLE sluice.schedule_runs (
    schedule     VARCHAR NOT NULL,
    due_at       TIMESTAMP NOT NULL,         -- the due time, in UTC
    status       VARCHAR NOT NULL,           -- started | skipped | missed | failed (could not start)
    run_id       BIGINT,                     -- the run it started (status started)
    reason       VARCHAR,                    -- why it was skipped, missed or failed to start
    recorded_at  TIMESTAMP NOT NULL,         -- in UTC
    PRIMARY KEY (schedule, due_at)
);
