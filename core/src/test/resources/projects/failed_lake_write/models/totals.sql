/*---
materialized: table
storage: { format: parquet }
---*/
SELECT id, sum(quantity) AS total FROM raw.events GROUP BY id
