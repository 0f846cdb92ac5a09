/*---
materialized: table
---*/
SELECT count(*) AS events, sum(amount) AS amount FROM raw.events
