/*---
schema: staging
tags: [staging]
---*/
SELECT
    i.order_id,
    i.product_id,
    i.quantity,
    coalesce(i.discount, 0) AS discount,
    round(i.quantity * p.list_price * (1 - coalesce(i.discount, 0)), 2) AS line_amount
FROM raw.order_items AS i
JOIN stg_products AS p ON p.product_id = i.product_id
