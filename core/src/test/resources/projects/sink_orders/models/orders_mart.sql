/*---
materialized: table
sink: { type: jdbc, url: "PG_URL", user: postgres, table: analytics.orders_mart, retries: 0 }
---*/
SELECT order_id, upper(customer) AS customer, amount, ordered_at FROM raw.orders
