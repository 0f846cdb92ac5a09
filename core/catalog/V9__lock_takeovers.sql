-- Sluice catalog, version 8: the warehouse lock taken over from a process that died holding it, so that a killed
-- run is never forgotten silently: who held the lock, which command found it, and the runs it left running.

CREATE TABLE sluice.lock_takeovers (
    taken_at        TIMESTAMP NOT NULL,
    command         VARCHAR NOT NULL,        -- the command that found the stale lock: run, backfill, test, state reset, storage, optimize
    host            VARCHAR NOT NULL,        -- the host and process that took the lock over
    pid             BIGINT NOT NULL,
    previous_holder VARCHAR NOT NULL,        -- as the stale lock file named it: pid, host, since when
    runs_closed     BIGINT[] NOT NULL        -- the runs left running (the dead holder's), marked killed on open
);
