-- Sluice catalog, version 8: the lake version folders Sluice wrote, so that it deletes only folders it recorded as
-- its own and reads a model's current version from here (never from view text), and the warning of a build whose
-- work after its commit failed (the published table is complete; cleaning up or measuring it was not).

CREATE TABLE sluice.lake_versions (
    model       VARCHAR NOT NULL,            -- schema.name
    run_id      BIGINT NOT NULL,             -- the run that wrote it
    path        VARCHAR NOT NULL,            -- the version folder, relative to the project folder ('/' separated)
    state       VARCHAR NOT NULL,            -- writing (claimed before its files are written) | current | retired
    recorded_at TIMESTAMP NOT NULL
);

ALTER TABLE sluice.model_runs ADD COLUMN warning VARCHAR;
