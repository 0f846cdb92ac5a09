/*---
materialized: incremental
---*/
SELECT id, name, amount FROM raw.events
