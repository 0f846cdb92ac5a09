/*---
materialized: table
schema: marts
tags: [marts, finance]
quality:
  - row_count: { min: 1 }
  - anomaly: { metric: row_count, k: 4, min_history: 3 }
    severity: warn
  - statistic: { column: revenue, metric: mean, min: 0 }
---*/
SELECT
    order_date,
    count(*) AS orders,
    sum(order_amount) AS revenue,
    sum(CASE WHEN returned THEN order_amount ELSE 0 END) AS returned_revenue
FROM orders
GROUP BY order_date
ORDER BY order_date
