/*---
schema: staging
tags: [staging]
---*/
SELECT order_id, returned_on, lower(reason) AS reason
FROM raw.returns
