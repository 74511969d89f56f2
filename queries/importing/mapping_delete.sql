-- Removes a saved mapping (before saving it again under the same name). Params: $target, $name
DELETE FROM import_mappings WHERE target = $target AND name = $name
