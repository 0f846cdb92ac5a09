/*---
materialized: table
quality:
  - range: { column: id, min: 1 }
    severity: warn
  - row_count: { min: 10 }
---*/
SELECT id - ${cut} AS id FROM raw.items
