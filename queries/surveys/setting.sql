-- Returns: a survey setting's value as a number, or no row. Params: $key
SELECT value::DOUBLE AS value FROM settings WHERE key = $key
