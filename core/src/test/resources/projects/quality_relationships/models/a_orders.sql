/*---
quality:
  - relationships: { column: customer_id, to: raw.customers }
    severity: warn
  - relationships: { column: customer_id, to: z_customers }
    name: known_customer
    severity: warn
---*/
SELECT * FROM raw.orders
