SELECT id AS open_id, amount FROM e_open
