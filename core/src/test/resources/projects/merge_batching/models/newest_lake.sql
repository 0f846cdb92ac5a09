/*---
materialized: incremental
incremental: { strategy: merge, unique_key: [id], order_by: updated_at }
storage: { format: parquet }
---*/
SELECT id, name, updated_at FROM raw.updates
