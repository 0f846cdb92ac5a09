/*---
materialized: incremental
time: { column: hour, input_column: ts, grain: 1 hour, start: 2024-01-01, lateness: 4 hours,
        late_policy: drop }
---*/
SELECT date_trunc('hour', ts) AS hour, count(*) AS events
FROM (SELECT ts FROM raw.web UNION ALL SELECT ts FROM app.events) AS e
GROUP BY 1
