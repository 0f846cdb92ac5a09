/*---
materialized: incremental
incremental: { strategy: merge, unique_key: [id] }
---*/
SELECT id, name, updated_at FROM raw.updates
