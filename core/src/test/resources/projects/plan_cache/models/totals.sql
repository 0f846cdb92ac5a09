SELECT sum(amount) AS total FROM raw.orders
