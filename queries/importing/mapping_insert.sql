-- Saves a mapping under a name for a target. Params: $target, $name, $mapping, $saved_by, $at
INSERT INTO import_mappings (target, name, mapping, saved_by, saved_at)
VALUES ($target, $name, $mapping, $saved_by, $at)
