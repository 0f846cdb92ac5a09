/*---
materialized: table
quality:
  - accepted_values: { column: id, values: [1, 2, 3] }
    severity: warn
  - name: small_ids
    expression: id < 9
    warn_fail_count: 0
    max_fail_count: 5
---*/
SELECT id FROM raw.items
