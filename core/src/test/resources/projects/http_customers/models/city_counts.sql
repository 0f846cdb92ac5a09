/*---
materialized: table
---*/
SELECT city, count(*) AS customers FROM api.customers GROUP BY city
