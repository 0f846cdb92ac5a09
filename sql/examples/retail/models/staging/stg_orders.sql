/*---
schema: staging
description: Orders that were not cancelled.
tags: [staging]
quality:
  - not_null: [order_id, customer_id, order_date]
  - unique: order_id
  - accepted_values: { column: status, values: [placed, shipped] }
---*/
SELECT order_id, customer_id, order_date, status
FROM raw.orders
WHERE status <> 'cancelled'
  AND order_date >= ${report_start}
