SELECT * FROM raw.customers
