-- Sluice catalog, version 22: a catalog shared by several machines and projects (catalog: { type: postgres } in
-- sluice.yml, one schema per project). Both tables stay empty in a catalog kept in the warehouse.

-- How far each batch of catalog writes was replayed from a warehouse's outbox (sluice_outbox.pending, written in the
-- data's transaction), moved in the transaction that replays it: a batch is never applied twice, even when the
-- process dies before the warehouse forgets it. A row lives only until the warehouse has forgotten the batch.
CREATE TABLE sluice.outbox_batches (
    batch         VARCHAR PRIMARY KEY,     -- the writes of one warehouse session
    replayed_seq  BIGINT NOT NULL,         -- its writes up to this one are in the catalog
    replayed_at   TIMESTAMP NOT NULL
);

-- The run lock of the project, across machines: who holds it and when it last said it is alive. A holder whose
-- heartbeat is older than the lock's timeout is stale (its machine or process died) and is taken over.
CREATE TABLE sluice.run_locks (
    lock_name     VARCHAR PRIMARY KEY,     -- what is locked: run (the project's runs and the writes to its catalog)
    host          VARCHAR NOT NULL,
    pid           BIGINT NOT NULL,
    command       VARCHAR NOT NULL,        -- what the holder does: run, test, serve ...
    run_id        BIGINT,                  -- the holder's run, once it has one
    token         VARCHAR NOT NULL,        -- the holder's own mark: a heartbeat or release by anyone else finds none
    acquired_at   TIMESTAMP NOT NULL,      -- in UTC
    heartbeat_at  TIMESTAMP NOT NULL       -- in UTC
);
