/*---
materialized: incremental
incremental: { strategy: merge, unique_key: id }
---*/
SELECT id, customer, amount * 2 AS doubled, updated_at FROM raw.events
