/*---
materialized: table
---*/
SELECT count(*) AS n FROM b