SELECT c.name FROM raw.customers c WHERE c.id IN (SELECT customer_id FROM raw.orders WHERE status = 'open')
