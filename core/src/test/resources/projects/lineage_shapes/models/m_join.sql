SELECT o.id, c.name FROM raw.orders o LEFT JOIN raw.customers c ON c.id = o.customer_id
