/*---
description: Orders above the minimum amount.
---*/
SELECT order_id, amount FROM raw.orders WHERE amount >= ${min_amount};
