/*---
materialized: table
schema: marts
tags: [marts, finance]
---*/
SELECT
    order_date,
    count(*) AS orders,
    sum(order_amount) AS revenue,
    sum(CASE WHEN returned THEN order_amount ELSE 0 END) AS returned_revenue
FROM orders
GROUP BY order_date
ORDER BY order_date
