/*---
materialized: table
storage: { format: parquet, partition_by: [k] }
parser: duckdb
---*/
SELECT i AS id, CASE WHEN i < 19000 THEN 0 ELSE i % 100 + 1 END AS k FROM range(20000) AS r(i)
