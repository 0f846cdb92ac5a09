/*---
materialized: incremental
incremental: { strategy: merge, unique_key: [id], order_by: updated_at }
---*/
SELECT id, name, updated_at FROM raw.updates
