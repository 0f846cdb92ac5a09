/*--- materialized: view ---*/
SELECT id, email, phone, country FROM raw.customers
