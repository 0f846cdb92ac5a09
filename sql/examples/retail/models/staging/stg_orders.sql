/*---
schema: staging
description: Orders that were not cancelled.
tags: [staging]
---*/
SELECT order_id, customer_id, order_date, status
FROM raw.orders
WHERE status <> 'cancelled'
  AND order_date >= ${report_start}
