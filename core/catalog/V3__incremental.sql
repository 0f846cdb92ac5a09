-- Sluice catalog, version 3: what incremental sources and models have processed.

-- The files a manifest-tracked source has read, as they were when read.
CREATE TABLE sluice.file_manifest (
    source        VARCHAR NOT NULL,        -- schema.table
    path          VARCHAR NOT NULL,
    size          BIGINT NOT NULL,
    modified_at   TIMESTAMP NOT NULL,
    content_hash  VARCHAR,                 -- only with content_hash: true
    row_count     BIGINT NOT NULL,
    run_id        BIGINT NOT NULL,         -- the run that read this version of the file
    PRIMARY KEY (source, path)
);

-- Per incremental model and source: the last source load (run id) whose rows the model has folded in.
CREATE TABLE sluice.checkpoints (
    model          VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    processed_run  BIGINT NOT NULL,
    run_id         BIGINT NOT NULL,        -- the run that committed this checkpoint with the model's data
    updated_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (model, source)
);

-- The high-water mark of each table source tracked by a watermark column.
CREATE TABLE sluice.watermarks (
    source     VARCHAR PRIMARY KEY,
    watermark  VARCHAR NOT NULL,          -- the column's greatest value read, as text
    run_id     BIGINT NOT NULL
);

-- What change detection found in each run, per source.
CREATE TABLE sluice.detections (
    run_id          BIGINT NOT NULL,
    source          VARCHAR NOT NULL,
    files_seen      BIGINT NOT NULL,
    new_files       BIGINT NOT NULL,
    modified_files  BIGINT NOT NULL,
    deleted_files   BIGINT NOT NULL,
    new_rows        BIGINT NOT NULL,        -- rows read for the first time
    changed_rows    BIGINT NOT NULL,        -- rows that replaced an earlier version (modified file, changed key)
    retracted_rows  BIGINT NOT NULL,        -- rows removed (retracted file, deleted key)
    watermark_from  VARCHAR,                -- table sources: the high-water mark before and after this load
    watermark_to    VARCHAR,
    duration_ms     BIGINT NOT NULL,
    details         VARCHAR,               -- the files, as JSON
    PRIMARY KEY (run_id, source)
);
