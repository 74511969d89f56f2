-- Returns: value of one company setting, or no row. Params: $key
SELECT value FROM settings WHERE key = $key
