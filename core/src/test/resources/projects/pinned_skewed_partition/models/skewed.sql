/*---
materialized: table
storage: { format: parquet, partition_by: [k] }
parser: duckdb
---*/
SELECT i AS id, CASE WHEN i < 190000 THEN 0 ELSE i % 100 + 1 END AS k, i * 2 AS amount
FROM range(200000) AS r(i)
