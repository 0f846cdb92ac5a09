SELECT id, TRY_CAST(status AS INTEGER) AS status_code, CAST(amount AS BIGINT) AS whole FROM raw.orders
