/*---
materialized: incremental
incremental: { strategy: append }
storage: { format: iceberg }
---*/
SELECT id, region, ordered_at, amount FROM raw.orders
