/*---
materialized: incremental
incremental: { strategy: merge, unique_key: id }
---*/
SELECT id, name, city, updated_at FROM api.customers
