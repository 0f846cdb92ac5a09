/*---
materialized: incremental
incremental: { strategy: append }
storage: { format: parquet }
---*/
SELECT id, ts, quantity FROM raw.events
