/*---
materialized: incremental
incremental: { strategy: merge, unique_key: id }
storage: { format: iceberg, partition_by: region }
---*/
SELECT id, region, ordered_at, amount FROM raw.orders
