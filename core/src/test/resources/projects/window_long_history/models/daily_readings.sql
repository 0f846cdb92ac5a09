/*---
materialized: incremental
time: { column: day, input_column: ts, grain: 1 day, start: 2024-01-01, batch_size: 30 }
---*/
SELECT date_trunc('day', ts) AS day, count(*) AS n, sum(v) AS v, ${window_start} AS batch_start
FROM raw.readings
GROUP BY 1
