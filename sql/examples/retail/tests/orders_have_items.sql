/*---
model: orders
description: Every published order has at least one item.
---*/
SELECT * FROM this WHERE items <= 0
