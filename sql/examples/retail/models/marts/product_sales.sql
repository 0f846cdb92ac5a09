/*---
materialized: table
schema: marts
tags: [marts]
---*/
SELECT
    p.category,
    date_trunc('month', o.order_date) AS month,
    sum(i.quantity) AS units,
    sum(i.line_amount) AS revenue
FROM stg_order_items AS i
JOIN stg_products AS p ON p.product_id = i.product_id
JOIN stg_orders AS o ON o.order_id = i.order_id
GROUP BY p.category, date_trunc('month', o.order_date)
