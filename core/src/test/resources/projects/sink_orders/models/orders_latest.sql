/*---
materialized: incremental
incremental: { strategy: merge, unique_key: order_id }
sink: { type: jdbc, url: "PG_URL", user: postgres, table: analytics.orders_latest, retries: 0 }
---*/
SELECT order_id, customer, amount, ordered_at FROM raw.orders
