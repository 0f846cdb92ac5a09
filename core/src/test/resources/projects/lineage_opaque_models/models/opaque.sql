/*---
parser: duckdb
---*/
SELECT id FROM raw.items GROUP BY ALL