/*---
schema: marts
materialized: incremental
incremental: { strategy: append }
quality:
  - not_null: [id]
---*/
SELECT id, amount FROM raw.events
