/*---
materialized: table
---*/
SELECT kind, count(*) AS n FROM items WHERE id > 10 GROUP BY kind