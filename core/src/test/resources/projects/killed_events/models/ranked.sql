/*---
materialized: table
---*/
SELECT user_id, amount, row_number() OVER (ORDER BY amount DESC, user_id) AS position FROM per_user
