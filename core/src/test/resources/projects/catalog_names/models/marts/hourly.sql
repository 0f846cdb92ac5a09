/*---
schema: marts
materialized: incremental
time: { column: hour, input_column: ts, grain: 1 hour, start: 2024-01-01 }
---*/
SELECT date_trunc('hour', ts) AS hour, sum(amount) AS amount FROM raw.events GROUP BY 1
