/*---
materialized: table
storage: { format: parquet, path: lake/full }
---*/
SELECT id, "odd col", amount FROM raw.events
