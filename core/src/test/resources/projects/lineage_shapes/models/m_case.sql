SELECT id, CASE WHEN status = 'cancelled' THEN 0 ELSE amount END AS net FROM raw.orders
