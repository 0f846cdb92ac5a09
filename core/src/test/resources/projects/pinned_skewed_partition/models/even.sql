/*---
materialized: table
storage: { format: parquet, partition_by: [k] }
parser: duckdb
---*/
SELECT i AS id, i % 3 AS k FROM range(1000) AS r(i)
