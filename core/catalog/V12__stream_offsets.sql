-- Sluice catalog, version 12: the offsets of stream sources (type: kafka), committed with the loaded rows. What
-- each load read (the offsets before and after it, per partition) is in sluice.detections' watermark columns.

-- Per stream source, topic and partition: the offset of the next record to load. It moves in the transaction that
-- adds the records before it to the warehouse, so a rerun neither skips nor repeats a record.
CREATE TABLE sluice.stream_offsets (
    source       VARCHAR NOT NULL,        -- schema.table
    topic        VARCHAR NOT NULL,
    "partition"  INTEGER NOT NULL,
    next_offset  BIGINT NOT NULL,
    run_id       BIGINT NOT NULL,         -- the run that loaded up to it
    PRIMARY KEY (source, topic, "partition")
);
