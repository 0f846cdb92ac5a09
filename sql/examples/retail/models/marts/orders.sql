/*---
materialized: table
schema: marts
tags: [marts, finance]
description: Orders with their amount, item count and return flag.
quality:
  - range: { column: order_amount, min: 0, inclusive: false }
    severity: quarantine            # orders without amount are set aside in marts.orders__quarantine
    max_fail_fraction: 0.01         # ...but more than 1% of them stops the model
  - relationships: { column: customer_id, to: stg_customers, field: customer_id }
  - freshness: { column: order_date, max_age: 10000 days }
---*/
SELECT
    t.order_id,
    t.customer_id,
    t.order_date,
    t.order_amount,
    t.items,
    r.order_id IS NOT NULL AS returned,
    ${currency} AS currency
FROM int_order_totals AS t
LEFT JOIN stg_returns AS r ON r.order_id = t.order_id
WHERE t.order_amount >= ${min_order_amount}
