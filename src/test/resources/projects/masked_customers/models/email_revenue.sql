/*--- materialized: table ---*/
SELECT email, count(*) AS orders, sum(amount) AS revenue
FROM customer_orders
GROUP BY email
