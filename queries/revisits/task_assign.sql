-- Assigns an open task to a user; returns the id. Params: $id, $expected_version, $assignee_id
UPDATE revisit_tasks SET assignee_id = $assignee_id, version = version + 1
WHERE id = $id AND version = $expected_version AND status = 'open'
RETURNING id
