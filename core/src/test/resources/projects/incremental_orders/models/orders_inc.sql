/*---
materialized: incremental
incremental: { strategy: append }
---*/
SELECT order_id, upper(customer) AS customer, amount * 2 AS doubled FROM raw.orders
