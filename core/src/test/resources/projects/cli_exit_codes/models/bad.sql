/*---
materialized: table
---*/
SELECT CAST('x' || id AS INT) AS n FROM raw.items