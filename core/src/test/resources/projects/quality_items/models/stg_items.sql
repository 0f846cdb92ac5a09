/*---
materialized: table
---*/
SELECT id,
       CASE WHEN id % 10 = 0 THEN -id ELSE id END AS amount,
       CASE WHEN id % 25 = 0 THEN NULL ELSE 'user' || id || '@example.com' END AS email
FROM raw.items
