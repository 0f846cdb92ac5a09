SELECT quantity FROM raw.lines WHERE quantity >= ${min_quantity}
