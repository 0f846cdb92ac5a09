-- Sluice catalog, version 6: time windows of windowed models, late data, arrival lateness of sources.

-- Every built interval of every windowed model, as ranges: consecutive intervals with the same state and run are
-- one row. Intervals without a row are pending.
CREATE TABLE sluice.intervals (
    model           VARCHAR NOT NULL,
    interval_start  TIMESTAMP NOT NULL,     -- UTC, the start of the first interval of the range
    interval_end    TIMESTAMP NOT NULL,     -- UTC, the end of the last interval of the range (excluded)
    intervals       BIGINT NOT NULL,        -- how many intervals the range holds
    grain           VARCHAR NOT NULL,       -- the model's grain when the range was built (1 hour, 1 day, ...)
    state           VARCHAR NOT NULL,       -- processed | reprocessed | late-closed
    run_id          BIGINT NOT NULL,        -- the run that last built the range
    rows            BIGINT NOT NULL,        -- rows of the published table in the range
    max_event_time  TIMESTAMP               -- the greatest event time in the range (UTC); NULL when empty
);
-- No primary keys on the interval and late-row tables: a rebuild rewrites a few hundred of their rows, which an
-- index would slow down tenfold; Sluice writes each (model, interval_start) once.

-- Late records: rows that arrived for an interval already built, per run, model, source, interval and what
-- happened to them.
CREATE TABLE sluice.late_rows (
    run_id          BIGINT NOT NULL,        -- the run that handled them
    model           VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    interval_start  TIMESTAMP NOT NULL,
    interval_end    TIMESTAMP NOT NULL,
    arrival_run     BIGINT NOT NULL,        -- the run that first loaded them
    disposition     VARCHAR NOT NULL,       -- rebuilt (within lateness) | reprocessed | quarantined | dropped | reassigned
    rows            BIGINT NOT NULL,
    lateness_seconds DOUBLE NOT NULL,       -- how long after the interval's end they arrived, on the model's clock
    assigned_to     TIMESTAMP               -- reassigned rows: the start of the interval they now count in
);

-- What each windowed model did in each run.
CREATE TABLE sluice.window_runs (
    run_id               BIGINT NOT NULL,
    model                VARCHAR NOT NULL,
    intervals_processed  BIGINT NOT NULL,   -- pending intervals built for the first time
    intervals_rebuilt    BIGINT NOT NULL,   -- built intervals rebuilt (late data, cascade, backfill)
    rows_written         BIGINT NOT NULL,   -- rows of all intervals built
    rows_rebuilt         BIGINT NOT NULL,   -- rows of the rebuilt intervals
    late_within          BIGINT NOT NULL,   -- late rows within lateness (their intervals rebuilt)
    late_reprocessed     BIGINT NOT NULL,   -- late rows beyond lateness, rebuilt by late_policy: reprocess
    late_quarantined     BIGINT NOT NULL,
    late_dropped         BIGINT NOT NULL,
    late_reassigned      BIGINT NOT NULL,   -- late rows beyond lateness moved to the current open interval
    complete_until       TIMESTAMP,         -- every interval before this is built
    detail               VARCHAR NOT NULL,  -- what was built and why, as text
    PRIMARY KEY (run_id, model)
);

-- How late each tracked source's rows arrive: per run, the distribution of arrival minus event time.
CREATE TABLE sluice.arrival_lateness (
    run_id         BIGINT NOT NULL,
    source         VARCHAR NOT NULL,
    column_name    VARCHAR NOT NULL,        -- the event-time column
    clock          VARCHAR NOT NULL,        -- event: arrival = the source's greatest event time before the load;
                                            -- processing: arrival = the run's start (UTC)
    rows           BIGINT NOT NULL,         -- rows the run loaded
    late_rows      BIGINT NOT NULL,         -- rows that arrived after their event time (lag above 0)
    p50_seconds    DOUBLE,                  -- over the late rows
    p95_seconds    DOUBLE,
    p99_seconds    DOUBLE,
    max_seconds    DOUBLE,
    histogram      VARCHAR NOT NULL,        -- JSON: {"<seconds>": late rows with lag at most that, ...}
    max_event_time TIMESTAMP,               -- the greatest event time (UTC) among the rows the run loaded
    PRIMARY KEY (run_id, source, column_name, clock)
);
