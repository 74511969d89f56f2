-- Demo data: backdates a generated wave and sets its status as if approved (and closed) on time.
-- Params: $id, $status, $created_at, $approved_by, $approved_at, $closed_by, $closed_at
UPDATE survey_waves SET status = $status, created_at = $created_at, approved_by = $approved_by,
    approved_at = $approved_at, closed_by = $closed_by, closed_at = $closed_at
WHERE id = $id
