/*---
materialized: incremental
incremental: { strategy: merge, unique_key: id }
---*/
SELECT id, upper(name) AS name, updated_at FROM crm.customers
