-- Adds an update given to the resident. Params: $complaint_id, $given_at, $method, $content, $recorded_by
INSERT INTO complaint_progress (complaint_id, given_at, method, content, recorded_by)
VALUES ($complaint_id, $given_at, $method, $content, $recorded_by)
RETURNING id
