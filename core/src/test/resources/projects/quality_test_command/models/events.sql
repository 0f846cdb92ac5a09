/*---
materialized: table
---*/
SELECT * FROM raw.events