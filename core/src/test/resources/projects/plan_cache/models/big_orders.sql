/*---
materialized: table
---*/
SELECT id, amount FROM stg_orders WHERE amount > ${min_amount}
