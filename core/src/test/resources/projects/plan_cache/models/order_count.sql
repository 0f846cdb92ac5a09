SELECT count(*) AS n FROM big_orders
