/*---
materialized: incremental
storage: { format: parquet, partition_by: ["odd col"] }
---*/
SELECT id, "odd col", amount FROM raw.events
