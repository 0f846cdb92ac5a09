SELECT id FROM raw.orders ORDER BY amount
