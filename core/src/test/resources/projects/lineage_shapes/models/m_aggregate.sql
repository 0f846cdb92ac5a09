SELECT customer_id, sum(amount) AS total FROM raw.orders GROUP BY customer_id HAVING count(*) > 1
