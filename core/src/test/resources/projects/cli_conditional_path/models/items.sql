/*---
materialized: table
---*/
SELECT id FROM raw.items