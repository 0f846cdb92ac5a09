SELECT c.id, (SELECT count(*) FROM raw.orders o WHERE o.customer_id = c.id) AS orders FROM raw.customers c
