/*---
schema: marts
description: Revenue and orders per customer, with the customer's country and segment.
---*/
SELECT o.customer_id, c.country, c.segment, count(*) AS orders, sum(o.amount) AS revenue,
       max(o.ordered_at) AS last_order_at
FROM staging.stg_orders o
JOIN raw.customers c ON c.customer_id = o.customer_id
GROUP BY o.customer_id, c.country, c.segment
