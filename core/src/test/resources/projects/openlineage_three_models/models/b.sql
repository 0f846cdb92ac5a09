/*---
materialized: table
---*/
SELECT id * 2 AS id FROM a