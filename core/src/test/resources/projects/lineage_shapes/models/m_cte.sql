WITH big AS (SELECT id, amount FROM raw.orders WHERE amount > 50)
SELECT id, amount AS big_amount FROM big
