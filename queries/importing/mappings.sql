-- Returns: the mappings saved for a target, by name. Params: $target
SELECT name, saved_by, saved_at FROM import_mappings WHERE target = $target ORDER BY name
