-- Counts one failed attempt on an open task (optimistic: version must match); returns the id.
-- Params: $id, $expected_version
UPDATE revisit_tasks SET failed_attempts = failed_attempts + 1, version = version + 1
WHERE id = $id AND version = $expected_version AND status = 'open'
RETURNING id
