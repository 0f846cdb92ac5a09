/*---
schema: marts
description: Revenue per product category, country and month.
---*/
SELECT p.category, c.country, date_trunc('month', o.ordered_at) AS month, count(*) AS orders,
       sum(o.amount) AS revenue, avg(o.amount) AS average_amount
FROM staging.stg_orders o
JOIN raw.products p ON p.product_id = o.product_id
JOIN raw.customers c ON c.customer_id = o.customer_id
GROUP BY p.category, c.country, date_trunc('month', o.ordered_at)
