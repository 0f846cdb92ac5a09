/*---
description: Orders of at least the minimum amount.
---*/
SELECT order_id, customer, amount FROM raw.orders WHERE amount >= ${min_amount}
