-- Sluice catalog, version 10: every table names a model by its qualified name (schema.name), as lineage and storage
-- tables always did. Rows written before named it by its file name alone; each is rewritten to the relation its
-- runs published (sluice.model_runs keeps both). Sources were always schema.table and are left as they are.

CREATE TEMPORARY TABLE sluice_model_names AS
SELECT DISTINCT model AS short_name, relation AS qualified_name
FROM sluice.model_runs
WHERE model NOT LIKE '%.%' AND relation LIKE '%.%';

UPDATE sluice.model_runs SET model = relation WHERE model NOT LIKE '%.%' AND relation LIKE '%.%';
UPDATE sluice.quality_results AS t SET model = n.qualified_name FROM sluice_model_names AS n WHERE t.model = n.short_name;
UPDATE sluice.quality_metrics AS t SET model = n.qualified_name FROM sluice_model_names AS n WHERE t.model = n.short_name;
UPDATE sluice.checkpoints AS t SET model = n.qualified_name FROM sluice_model_names AS n WHERE t.model = n.short_name;
UPDATE sluice.intervals AS t SET model = n.qualified_name FROM sluice_model_names AS n WHERE t.model = n.short_name;
UPDATE sluice.late_rows AS t SET model = n.qualified_name FROM sluice_model_names AS n WHERE t.model = n.short_name;
UPDATE sluice.window_runs AS t SET model = n.qualified_name FROM sluice_model_names AS n WHERE t.model = n.short_name;

DROP TABLE sluice_model_names;
