/*---
materialized: table
---*/
SELECT json_extract_string(_extra, '$.tier') AS tier, count(*) AS customers FROM api.customers GROUP BY 1
