/*---
materialized: table
storage: { format: iceberg, partition_by: region, sort_by: id }
---*/
SELECT id, region, ordered_at, paid_at, amount, quantity, CAST(ordered_at AS DATE) AS order_date
FROM raw.orders
