/*---
materialized: incremental
time: { column: day, input_column: ts, grain: 1 day, start: 2024-01-01, lookback: 2 days }
quality:
  - range: { column: amount_3d, max: 1000 }
---*/
SELECT d.day, CAST(sum(s.amount) AS BIGINT) AS amount_3d
FROM (SELECT DISTINCT date_trunc('day', ts) AS day FROM raw.sales) AS d
JOIN raw.sales AS s ON s.ts >= d.day - INTERVAL '2' DAY AND s.ts < d.day + INTERVAL '1' DAY
GROUP BY d.day
