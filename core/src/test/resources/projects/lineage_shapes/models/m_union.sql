SELECT id AS key, 'order' AS kind FROM raw.orders
UNION ALL
SELECT id, country FROM raw.customers
