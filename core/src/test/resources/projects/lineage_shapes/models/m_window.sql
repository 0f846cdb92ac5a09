SELECT id, row_number() OVER (PARTITION BY customer_id ORDER BY amount DESC) AS rank_in_customer,
       sum(amount) OVER (PARTITION BY customer_id) AS customer_total
FROM raw.orders
