-- Sluice catalog, version 19: the masked columns each run planned (mask: declared on a column, carried along DIRECT
-- column lineage), so that every reader of the warehouse (sluice query, drivers, sluice serve) masks the same
-- columns without planning, and an auditor can see what is masked and why.

CREATE TABLE sluice.column_masks (
    run_id       BIGINT NOT NULL,
    relation     VARCHAR NOT NULL,         -- the source or model, as schema.table
    column_name  VARCHAR NOT NULL,
    mask         VARCHAR NOT NULL,         -- hash | redact | null | partial
    declared     BOOLEAN NOT NULL          -- declared on this column (true) or carried from upstream (false)
);
