/*---
when: rows(items) > 100
otherwise: small
---*/
SELECT * FROM items