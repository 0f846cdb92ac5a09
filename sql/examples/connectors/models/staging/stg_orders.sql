/*---
materialized: incremental
schema: staging
incremental: { strategy: merge, unique_key: order_id }
description: Orders from the shop database, merged by order id as they change.
---*/
SELECT order_id, customer_id, status, CAST(amount AS DECIMAL(12, 2)) AS amount, ordered_at, updated_at
FROM shop.orders
