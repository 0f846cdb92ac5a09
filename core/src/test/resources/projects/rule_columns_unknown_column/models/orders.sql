/*---
materialized: table
quality:
  - range: { column: idd, min: 0 }
---*/
SELECT id, amount FROM raw.orders
