/*---
materialized: incremental
time: { column: hour, input_column: ts, grain: 1 hour, start: 2023-01-01, batch_size: 500 }
---*/
SELECT date_trunc('hour', ts) AS hour, count(*) AS events, count(DISTINCT user_id) AS users,
       current_timestamp AS built_at
FROM raw.events
GROUP BY 1
