-- Updates an override. Params: $id, $branch_id (NULL = all), $day, $kind, $note
UPDATE calendar_overrides SET branch_id = $branch_id, day = $day, kind = $kind, note = $note
WHERE id = $id
