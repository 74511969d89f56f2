-- Returns: one saved mapping (its JSON). Params: $target, $name
SELECT name, mapping, saved_by, saved_at FROM import_mappings WHERE target = $target AND name = $name
