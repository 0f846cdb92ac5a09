/*---
materialized: ephemeral
---*/
SELECT id, amount FROM raw.orders WHERE status = 'open'
