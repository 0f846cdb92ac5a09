/*---
materialized: table
schema: marts
tags: [marts, finance]
description: Orders with their amount, item count and return flag.
---*/
SELECT
    t.order_id,
    t.customer_id,
    t.order_date,
    t.order_amount,
    t.items,
    r.order_id IS NOT NULL AS returned,
    ${currency} AS currency
FROM int_order_totals AS t
LEFT JOIN stg_returns AS r ON r.order_id = t.order_id
WHERE t.order_amount >= ${min_order_amount}
