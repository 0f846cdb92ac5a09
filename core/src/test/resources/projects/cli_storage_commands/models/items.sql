/*---
materialized: table
storage: { format: parquet }
---*/
SELECT id, kind FROM raw.items