-- Returns: every company setting (key, value). Params: none
SELECT key, value FROM settings ORDER BY key
