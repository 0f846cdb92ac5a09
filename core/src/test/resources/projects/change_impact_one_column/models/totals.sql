/*---
materialized: table
---*/
SELECT sum(doubled) AS total FROM base