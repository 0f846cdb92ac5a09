/*---
materialized: incremental
incremental: { strategy: merge, unique_key: [id] }
---*/
SELECT id, name, amount FROM raw.events
