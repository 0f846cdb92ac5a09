/*---
materialized: incremental
incremental: { strategy: merge, unique_key: [id] }
storage: { format: parquet }
---*/
SELECT id, name, updated_at FROM raw.updates
