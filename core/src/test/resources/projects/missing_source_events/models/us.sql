SELECT id, name FROM raw.users
