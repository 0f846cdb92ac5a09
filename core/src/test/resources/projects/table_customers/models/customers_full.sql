/*---
materialized: table
---*/
SELECT id, upper(name) AS name, updated_at FROM crm.customers
