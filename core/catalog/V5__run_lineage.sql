-- Sluice catalog, version 5: the expression text of lineage edges, and what else a run needs to be replayed.

-- The SQL expression computing a model column, as written in the model (DIRECT edges; NULL when not derivable).
ALTER TABLE sluice.lineage_columns ADD COLUMN expression VARCHAR;

ALTER TABLE sluice.lineage_runs ADD COLUMN engine_version VARCHAR;  -- the DuckDB version that ran the model
ALTER TABLE sluice.lineage_runs ADD COLUMN parameters VARCHAR;      -- JSON: the project's vars as the model saw them
ALTER TABLE sluice.lineage_runs ADD COLUMN bytes BIGINT;            -- the published table's size on disk, when known
ALTER TABLE sluice.lineage_columns ADD COLUMN masking BOOLEAN;            -- the value is hashed on the way
