-- Returns: a survey setting's value as a number, or no row. Params: $key
SELECT CAST(value AS DOUBLE PRECISION) AS value FROM settings WHERE key = $key
