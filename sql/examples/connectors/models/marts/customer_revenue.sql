/*---
materialized: table
schema: marts
tags: [marts]
description: Revenue and clicks per customer, written back to the shop database for its applications.
sink:
  type: jdbc
  url: jdbc:postgresql://${env:SHOP_PG_HOST}/${env:SHOP_PG_DATABASE}
  user: ${env:SHOP_PG_USER}
  password: ${env:SHOP_PG_PASSWORD}
  table: analytics.customer_revenue
  mode: replace
---*/
WITH revenue AS (
    SELECT customer_id, count(*) AS orders, sum(amount) AS revenue
    FROM stg_orders
    WHERE status <> 'cancelled'
    GROUP BY customer_id
), clicks AS (
    SELECT customer_id, count(*) AS clicks
    FROM stg_clicks
    GROUP BY customer_id
)
SELECT c.customer_id, c.name, c.country,
       COALESCE(r.orders, 0) AS orders,
       COALESCE(r.revenue, 0) AS revenue,
       COALESCE(k.clicks, 0) AS clicks
FROM crm.customers AS c
LEFT JOIN revenue AS r ON r.customer_id = c.customer_id
LEFT JOIN clicks AS k ON k.customer_id = c.customer_id
