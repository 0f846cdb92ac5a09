/*---
materialized: incremental
time: { column: hour, input_column: event_ts, grain: 1 hour, start: 2024-01-01, lateness: 3 hours,
        late_policy: quarantine }
---*/
SELECT date_trunc('hour', event_ts) AS hour, count(*) AS events, sum(amount) AS amount
FROM raw.events
GROUP BY 1
