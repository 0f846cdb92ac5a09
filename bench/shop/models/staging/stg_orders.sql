/*---
schema: staging
description: Every order, typed.
---*/
SELECT CAST(order_id AS BIGINT) AS order_id,
       CAST(customer_id AS INTEGER) AS customer_id,
       CAST(product_id AS INTEGER) AS product_id,
       CAST(status AS VARCHAR) AS status,
       CAST(amount AS DECIMAL(12, 2)) AS amount,
       CAST(quantity AS INTEGER) AS quantity,
       CAST(ordered_at AS TIMESTAMP) AS ordered_at
FROM raw.orders
