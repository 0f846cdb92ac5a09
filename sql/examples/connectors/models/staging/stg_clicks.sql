/*---
materialized: incremental
schema: staging
incremental: { strategy: append }
description: Every click read from the stream, exactly once.
---*/
SELECT click_id, customer_id, url, clicked_at
FROM web.clicks
