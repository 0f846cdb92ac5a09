SELECT id, amount * 2 AS doubled, md5(status) AS status_hash FROM raw.orders
