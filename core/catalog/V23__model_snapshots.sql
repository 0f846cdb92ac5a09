-- Sluice catalog, version 23: the Iceberg snapshot each build published, on an engine whose tables are Iceberg tables
-- (Spark, issue 17). Written in the publishing transaction with the rest of the build's records, so the catalog and
-- the table agree on what each run published; NULL on DuckDB's own tables and for builds that published nothing.

ALTER TABLE sluice.model_runs ADD COLUMN IF NOT EXISTS snapshot_id BIGINT;
