/*---
materialized: incremental
incremental: { strategy: append }
storage: { format: parquet, partition_by: [k] }
---*/
SELECT id, k FROM raw.ev
