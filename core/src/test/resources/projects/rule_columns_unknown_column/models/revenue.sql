SELECT sum(amount) AS revenue FROM orders
