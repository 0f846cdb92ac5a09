/*---
materialized: table
---*/
SELECT count(*) AS n FROM stg_orders
