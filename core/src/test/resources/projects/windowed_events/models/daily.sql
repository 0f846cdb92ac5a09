/*---
materialized: incremental
time: { column: day, grain: 1 day, start: 2024-01-01 }
---*/
SELECT CAST(date_trunc('day', hour) AS TIMESTAMP) AS day, sum(events) AS events, sum(amount) AS amount
FROM hourly
WHERE hour >= ${window_start} AND hour < ${window_end}
GROUP BY 1
