/*---
schema: staging
tags: [staging]
---*/
SELECT product_id, category, list_price
FROM raw.products
