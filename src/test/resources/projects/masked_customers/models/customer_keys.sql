/*--- materialized: table ---*/
SELECT order_id, sha256(email) AS email_key FROM customer_orders
