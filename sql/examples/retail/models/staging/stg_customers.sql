/*---
schema: staging
description: One row per customer, names tidied.
tags: [staging]
columns:
  customer_name: { description: Display name, pii: true }
---*/
SELECT
    customer_id,
    upper(substr(name, 1, 1)) || substr(name, 2) AS customer_name,
    country,
    signup_date
FROM raw.customers
