/*---
materialized: incremental
tags: [x]
---*/
SELECT * FROM items
