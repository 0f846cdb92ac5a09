-- Sluice catalog, version 20: the plan cache. One row per model planned: the keys it was planned under and the
-- planned result (validated row type, dependencies, lineage) as JSON, so that an unchanged model is not parsed,
-- validated and cross-checked again. A row of another Sluice version, or whose payload does not match its hash, is
-- ignored by the planner, never trusted. Nothing here holds a secret's value (secret vars are read by the models
-- from session variables, not written into their SQL).

CREATE TABLE sluice.plan_cache (
    model          VARCHAR PRIMARY KEY,      -- the model's name, lower case
    sluice_version VARCHAR NOT NULL,         -- the Sluice that wrote the row; other versions ignore it
    text_key       VARCHAR NOT NULL,         -- SHA-256 of the model's text, settings, the project's vars and engine
    plan_key       VARCHAR NOT NULL,         -- SHA-256 of text_key and of its inputs' names and row types
    payload        VARCHAR NOT NULL,         -- the planned model, JSON
    payload_hash   VARCHAR NOT NULL,         -- SHA-256 of payload
    written_at     TIMESTAMP NOT NULL        -- in UTC
);
