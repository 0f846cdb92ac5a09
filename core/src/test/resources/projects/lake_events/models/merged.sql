/*---
materialized: incremental
incremental: { strategy: merge, unique_key: id }
storage: { format: parquet, partition_by: ["odd col"] }
---*/
SELECT id % 40 AS id, "odd col", amount FROM raw.events
