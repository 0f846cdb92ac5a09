/*---
materialized: table
quality:
  - not_null: id
---*/
SELECT id, id * 2 AS doubled FROM raw.items