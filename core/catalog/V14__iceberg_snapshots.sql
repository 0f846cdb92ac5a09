-- Sluice catalog, version 14: the metadata files of the Iceberg tables Sluice writes (storage: { format: iceberg }).
-- This table is the Iceberg catalog of those tables: a publish writes the table's next metadata file, then records
-- it here in the transaction that publishes the model and records its run, so the Iceberg commit and the build
-- commit together or not at all. The newest version of a model is its current metadata; older rows give the
-- snapshot each run published (time travel, sluice lineage --as-of).

CREATE TABLE sluice.iceberg_snapshots (
    model         VARCHAR NOT NULL,   -- schema.name
    version       INTEGER NOT NULL,   -- the metadata version: metadata/v<version>.metadata.json
    run_id        BIGINT NOT NULL,    -- the run that committed it (a build or sluice optimize)
    snapshot_id   BIGINT,             -- the table's current snapshot in that metadata (NULL: no snapshot)
    operation     VARCHAR NOT NULL,   -- what the commit did: replace, append, overwrite, rewrite
    metadata_path VARCHAR NOT NULL,   -- the metadata file, relative to the project folder when inside it
    recorded_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (model, version)
);
