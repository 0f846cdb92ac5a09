-- Sluice catalog, version 13: what each run wrote to a model's sink (a table outside the warehouse), so that a
-- failed or missed write is retried by the next run until the target has caught up exactly.

CREATE TABLE sluice.sink_writes (
    run_id       BIGINT NOT NULL,            -- the run that wrote (or tried to)
    model        VARCHAR NOT NULL,           -- schema.name
    target       VARCHAR NOT NULL,           -- postgres://host:port/database.schema.table, never credentials
    mode         VARCHAR NOT NULL,           -- replace | merge
    write_kind   VARCHAR NOT NULL,           -- full (the whole relation) | increment (one build's rows by key)
    model_run    BIGINT,                     -- the model's build the target holds after a success: the checkpoint
    status       VARCHAR NOT NULL,           -- success | failed
    rows         BIGINT,
    duration_ms  BIGINT NOT NULL,
    error        VARCHAR,
    written_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, model, target)
);
