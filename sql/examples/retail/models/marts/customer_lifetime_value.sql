/*---
materialized: table
schema: marts
tags: [marts, finance]
description: Revenue per customer net of returns, ranked within the country.
when: quality(orders).passed and quality(orders).fail_fraction < 0.05
---*/
SELECT
    c.customer_id,
    c.country,
    coalesce(sum(o.order_amount) FILTER (WHERE NOT o.returned), 0) AS lifetime_value,
    count(o.order_id) AS orders,
    rank() OVER (PARTITION BY c.country ORDER BY coalesce(sum(o.order_amount) FILTER (WHERE NOT o.returned), 0) DESC)
        AS country_rank
FROM customers AS c
LEFT JOIN orders AS o ON o.customer_id = c.customer_id
GROUP BY c.customer_id, c.country
