/*---
materialized: table
quality:
  - range: { column: id, max: 5 }
---*/
SELECT id FROM raw.items