-- Returns: the latest import of this file (same fingerprint) into this target that was not
-- undone (id, created_at, username, file_name), or nothing. Params: $target, $fingerprint
SELECT id, created_at, username, file_name
FROM import_batches
WHERE target = $target AND fingerprint = $fingerprint AND undone_at IS NULL
ORDER BY id DESC
LIMIT 1
