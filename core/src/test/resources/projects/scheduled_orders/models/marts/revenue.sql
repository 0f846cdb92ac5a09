/*---
materialized: table
---*/
SELECT customer, sum(amount) AS revenue, count(*) AS orders FROM stg_orders GROUP BY customer
