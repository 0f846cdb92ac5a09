/*---
materialized: incremental
incremental: { strategy: append, on_schema_change: fail }
---*/
SELECT * FROM raw.events
