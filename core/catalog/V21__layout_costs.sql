-- Sluice catalog, version 21: what the storage optimiser spent and measured (issue 16). Per build, the time taken
-- by statistics (the sample and the plain aggregates over all rows) and by the layout (candidate trials on the
-- sample, a sorted rewrite, an index); per candidate layout tried on a sample, its measured bytes, the time of a
-- filter on it and the cost the choice compared (decisions of aspect 'candidate'; NULL for the other decisions).

ALTER TABLE sluice.model_runs ADD COLUMN IF NOT EXISTS statistics_ms BIGINT;
ALTER TABLE sluice.model_runs ADD COLUMN IF NOT EXISTS layout_ms BIGINT;

ALTER TABLE sluice.storage_decisions ADD COLUMN IF NOT EXISTS measured_bytes BIGINT;   -- bytes of the candidate on the sample
ALTER TABLE sluice.storage_decisions ADD COLUMN IF NOT EXISTS filter_ms DOUBLE;        -- median time of a downstream filter on it
ALTER TABLE sluice.storage_decisions ADD COLUMN IF NOT EXISTS cost DOUBLE;             -- the stated cost (lowest wins)
