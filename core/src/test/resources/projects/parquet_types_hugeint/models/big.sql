/*---
materialized: table
storage: { format: parquet }
parser: duckdb
---*/
SELECT 1 AS id, [CAST(170141183460469231731687303715884105727 AS HUGEINT)] AS too_big
