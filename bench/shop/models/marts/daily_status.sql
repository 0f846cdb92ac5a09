/*---
schema: marts
description: Orders and revenue per day and status.
---*/
SELECT CAST(ordered_at AS DATE) AS order_date, status, count(*) AS orders, sum(amount) AS revenue,
       sum(quantity) AS items
FROM staging.stg_orders
GROUP BY CAST(ordered_at AS DATE), status
