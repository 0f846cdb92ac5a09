/*---
materialized: incremental
schema: marts
tags: [marts]
incremental: { strategy: merge, unique_key: order_id }
description: The orders as an Apache Iceberg table other engines read, one snapshot per run.
storage: { format: iceberg }
---*/
SELECT order_id, customer_id, status, amount, ordered_at
FROM stg_orders
