/*---
materialized: table
---*/
SELECT id, note FROM raw.ev
