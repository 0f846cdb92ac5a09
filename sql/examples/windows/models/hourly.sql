/*---
materialized: incremental
description: Events per hour; an hour is built once the events have passed its end.
time:
  column: hour                 # each output row belongs to the interval of its hour
  input_column: event_ts       # raw.events is read only in the intervals being built, by this column
  grain: 1 hour
  start: 2024-01-01
  lateness: 1 day              # a late event up to a day after its hour's end rebuilds the hour
  late_policy: quarantine      # later ones go to hourly__late
---*/
SELECT date_trunc('hour', event_ts) AS hour,
       count(*) AS events,
       count(DISTINCT user_id) AS users,
       sum(amount) AS amount
FROM raw.events
GROUP BY 1
