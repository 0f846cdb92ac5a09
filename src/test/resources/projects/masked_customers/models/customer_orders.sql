/*---
materialized: table
quality:
  - range: { column: amount, min: 0 }
    on_fail: warn
---*/
SELECT o.order_id, c.email, c.country, o.amount
FROM raw.orders o JOIN stg_customers c ON c.id = o.customer_id
