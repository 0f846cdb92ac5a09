/*---
materialized: table
storage: { format: parquet }
---*/
SELECT id FROM raw.items