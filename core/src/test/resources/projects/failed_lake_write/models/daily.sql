/*---
materialized: incremental
time: { column: ts, grain: 1 day, start: 2024-01-01, lateness: 7 days }
storage: { format: parquet }
---*/
SELECT id, ts, quantity FROM raw.events
