-- Stores one company setting. Params: $key, $value
INSERT INTO settings (key, value) VALUES ($key, $value)
ON CONFLICT (key) DO UPDATE SET value = excluded.value
