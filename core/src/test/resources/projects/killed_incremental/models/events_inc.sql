/*---
materialized: incremental
incremental: { strategy: merge, unique_key: id }
---*/
SELECT id, user_id, amount * 2 AS doubled FROM raw.events
