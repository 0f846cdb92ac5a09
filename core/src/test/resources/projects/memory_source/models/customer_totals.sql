/*---
materialized: table
quality:
  - not_null: customer
---*/
SELECT customer, sum(amount) AS total FROM raw.events GROUP BY customer
