SELECT t.customer_id, t.n FROM (SELECT customer_id, count(*) AS n FROM raw.orders GROUP BY customer_id) AS t
