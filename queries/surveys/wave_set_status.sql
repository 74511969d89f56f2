-- Moves a wave to approved or closed if it is still at the version read; returns its id.
-- Params: $id, $expected_version, $status, $actor, $at
UPDATE survey_waves SET
    status = $status,
    approved_by = CASE WHEN $status = 'approved' THEN $actor ELSE approved_by END,
    approved_at = CASE WHEN $status = 'approved' THEN $at ELSE approved_at END,
    closed_by = CASE WHEN $status = 'closed' THEN $actor ELSE closed_by END,
    closed_at = CASE WHEN $status = 'closed' THEN $at ELSE closed_at END,
    version = version + 1
WHERE id = $id AND version = $expected_version
RETURNING id
