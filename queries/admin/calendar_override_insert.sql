-- Inserts an override and returns its id. Params: $branch_id (NULL = all), $day, $kind, $note
INSERT INTO calendar_overrides (branch_id, day, kind, note) VALUES ($branch_id, $day, $kind, $note)
RETURNING id
