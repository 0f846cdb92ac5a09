/*---
materialized: table
columns:
  customers: { unmasked: "a count of addresses, not an address" }
---*/
SELECT country, count(DISTINCT email) AS customers
FROM customer_orders
GROUP BY country
