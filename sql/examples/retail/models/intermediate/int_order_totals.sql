/*---
materialized: ephemeral
description: Order amount from its items; inlined into the marts that read it.
---*/
SELECT
    o.order_id,
    o.customer_id,
    o.order_date,
    sum(i.line_amount) AS order_amount,
    sum(i.quantity) AS items
FROM stg_orders AS o
JOIN stg_order_items AS i ON i.order_id = o.order_id
GROUP BY o.order_id, o.customer_id, o.order_date
