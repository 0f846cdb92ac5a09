/*---
materialized: incremental
schema: marts
description: Every return ever reported, folded in as new files of returns arrive.
incremental: { strategy: merge, unique_key: order_id }
---*/
SELECT order_id, returned_on, lower(reason) AS reason
FROM raw.returns
