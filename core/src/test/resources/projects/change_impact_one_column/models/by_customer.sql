/*---
materialized: table
---*/
SELECT customer, count(*) AS n FROM base GROUP BY customer