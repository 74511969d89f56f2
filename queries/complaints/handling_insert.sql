-- Adds a handling record (处理记录). Params: $complaint_id, $handled_at, $handled_by, $content, $recorded_by
INSERT INTO complaint_handling (complaint_id, handled_at, handled_by, content, recorded_by)
VALUES ($complaint_id, $handled_at, $handled_by, $content, $recorded_by)
RETURNING id
