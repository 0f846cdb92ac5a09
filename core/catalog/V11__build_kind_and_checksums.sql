-- Sluice catalog, version 11: a build's outcome is structured, never read from its human reason, and each applied
-- migration keeps a checksum of its text, so that a migration edited after it was applied is refused on open.

-- full (the whole relation rebuilt), incremental (new rows folded in), intervals (a windowed model's intervals
-- replaced); NULL for an outcome that built nothing (up to date, skipped, not taken, failed before building).
ALTER TABLE sluice.model_runs ADD COLUMN build_kind VARCHAR;

-- Before status up_to_date existed, a model found up to date was recorded as success with a reason saying so: the
-- last time its reason text is read, to give those rows their status.
UPDATE sluice.model_runs SET status = 'up_to_date' WHERE status = 'success' AND contains(reason, 'up to date:');

-- SHA-256 of the migration's text (line ends as LF); NULL until the opening Sluice records it.
ALTER TABLE sluice.schema_version ADD COLUMN checksum VARCHAR;
