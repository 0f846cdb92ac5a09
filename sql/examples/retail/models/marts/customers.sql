/*---
materialized: table
schema: marts
tags: [marts]
---*/
SELECT
    c.customer_id,
    c.customer_name,
    c.country,
    c.signup_date,
    count(o.order_id) AS orders,
    min(o.order_date) AS first_order_date,
    max(o.order_date) AS last_order_date
FROM stg_customers AS c
LEFT JOIN orders AS o ON o.customer_id = c.customer_id
GROUP BY c.customer_id, c.customer_name, c.country, c.signup_date
